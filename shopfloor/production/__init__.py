"""Production batches (work orders): status, quantities, rejects, material consumption."""
