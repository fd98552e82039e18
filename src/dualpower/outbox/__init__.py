"""The mail this node sent, readable by coordinators while it has no mail server (development).

Without ``DP_EMAIL_HOST`` the node writes every email as a file into ``DP_HOME/mail``; this app
shows those files as a page, "Mail sent from this node", so that whoever tries the node sees the
confirmation and reminder emails people would have received.
"""
