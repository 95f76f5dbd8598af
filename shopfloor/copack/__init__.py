"""Co-packing and kitting: kit bills of materials, the partner's consigned material,
kit builds and the reconciliation."""
