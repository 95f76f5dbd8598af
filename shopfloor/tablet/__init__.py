"""The worker screens on station tablets: faces, sign-in, my work now, one step per screen."""
