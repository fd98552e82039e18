"""Federation's HTTP side: discovery (WebFinger, NodeInfo, host-meta), the actors and their
collections, the inboxes, our activities by id, and the community's and operator's pages.

Modules here import each other directly, never from this package (docs/architecture.md).
"""
