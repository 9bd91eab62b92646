"""Views of the strategy app: the public strategy pages and the coordinators' editing pages."""
