"""The scheduler process: jobs, their runs, and the single-runner lock."""
