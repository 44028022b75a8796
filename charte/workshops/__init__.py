"""Workshops and paper registers: contributions collected offline, entered by a facilitator,
signed by the workshop and carrying its origin."""
