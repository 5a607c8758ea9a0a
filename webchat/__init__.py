"""The web chat for websites and orientation centres (socket.io to Rasa), its kiosk mode,
and the printable pre-departure checklist."""
