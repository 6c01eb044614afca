"""The merchant's guide (``docs/pl``) served inside the back office, and its "Pomoc" links."""
