"""Picture instructions: versioned step sequences that workers follow on the tablets."""
