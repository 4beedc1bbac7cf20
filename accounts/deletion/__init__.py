"""Deleting a whole organisation: requested by an admin, undone during the grace period by
any admin, then carried out by a beat task (``services``, ``tasks``, the settings page in
``views``, the API in ``api``)."""
