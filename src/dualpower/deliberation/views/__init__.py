"""The deliberation pages: deliberations.py for members and facilitators, links.py for whoever
holds a deliberation's link, peers.py for deliberations shared with peer communities, and
common.py for what they share (the member acting, the answer to a vote)."""
