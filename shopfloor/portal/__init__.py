"""The partner firms' portal: their orders, batches and shipments, scoped to their firm."""
