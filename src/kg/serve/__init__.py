"""How ``kg serve`` runs: its processes, above the HTTP application in :mod:`kg.api`."""
