// Flows: see DESIGN.md. Placeholder until the module lands.
