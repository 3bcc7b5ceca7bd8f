from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from . import selectors
from .kinds import CATEGORIES, kind_label
from .models import Notification
from .services import mark_all_read, mark_read


class NotificationSerializer(serializers.ModelSerializer):
    kind_label = serializers.SerializerMethodField(help_text=_("The kind's name, as the notification centre shows it"))

    class Meta:
        model = Notification
        fields = ["id", "title", "body", "link", "kind", "kind_label", "reference", "created_at", "read_at"]

    def get_kind_label(self, notification) -> str:
        return str(kind_label(notification.kind))


class NotificationList(generics.ListAPIView):
    """The caller's in-app notifications, newest first; ``?unread=1`` for unread only,
    ``?kind=`` one of the notification centre's kinds (``task``, ``reminder``, ``procurement``...)."""

    serializer_class = NotificationSerializer

    def get_queryset(self):
        params = self.request.query_params
        return selectors.notifications_of(self.request.user, unread=params.get("unread") in ("1", "true"),
                                          category=params.get("kind", "") if params.get("kind") in CATEGORIES else "")


class MarkReadSerializer(serializers.Serializer):
    ids = serializers.ListField(child=serializers.IntegerField(), allow_empty=False)


class MarkedSerializer(serializers.Serializer):
    marked = serializers.IntegerField(help_text=_("Number of notifications marked as read"))


class NotificationMarkRead(APIView):
    serializer_class = MarkReadSerializer

    @extend_schema(request=MarkReadSerializer, responses=MarkedSerializer)
    def post(self, request):
        serializer = MarkReadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response({"marked": mark_read(user=request.user, notification_ids=serializer.validated_data["ids"])})


class NotificationMarkAllRead(APIView):
    """Mark all the caller's notifications read."""

    @extend_schema(request=None, responses=MarkedSerializer)
    def post(self, request):
        return Response({"marked": mark_all_read(user=request.user)})
