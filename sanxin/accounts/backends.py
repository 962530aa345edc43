"""Django's ModelBackend, with the signed-in user read through the actor cache (actors.py)."""
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend

from . import actors


class ModelBackend(DjangoModelBackend):
    def get_user(self, user_id):
        if not actors.enabled():
            return super().get_user(user_id)
        user = actors.get_actor(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
