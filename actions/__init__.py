"""rasa-sdk actions: thin adapters between Rasa's tracker and the `knowledge` library."""
