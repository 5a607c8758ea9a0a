"""The staff web app: accounts, the editorial workflow in a browser and a JSON API."""
