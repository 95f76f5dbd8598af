"""The worker's side of the floor: step events from the tablets and calls for help."""
