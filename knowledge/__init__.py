"""The assistant's domain library: languages, catalogs and formatting, sourced facts.

Usable and testable without Rasa; `actions/` translates between Rasa and this package."""
