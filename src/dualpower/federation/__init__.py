"""Federation: this node's communities as ActivityPub actors, linked with peer nodes and the fediverse.

docs/federation.md says what leaves the node and to whom; docs/architecture.md ("Federation") maps
the modules.
"""
