"""Quality sampling rules shared by the lines."""
