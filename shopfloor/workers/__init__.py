"""Workers: the people who follow the task screens. Only what production needs is kept."""
