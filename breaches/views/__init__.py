"""HTML pages of the breaches app: adapters that pass the gate, call a service and render."""
