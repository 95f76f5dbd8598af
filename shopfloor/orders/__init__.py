"""Orders from partner firms: lines with quantities and due dates, and their progress."""
