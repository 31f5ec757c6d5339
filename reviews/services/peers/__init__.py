"""Peer and upward feedback: the cycle's settings, nominations, upward assignments."""
