from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from .models import Notification
from .services import mark_read


class NotificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = ["id", "title", "body", "link", "kind", "reference", "created_at", "read_at"]


class NotificationList(generics.ListAPIView):
    """The caller's in-app notifications, newest first; ``?unread=1`` for unread only."""

    serializer_class = NotificationSerializer

    def get_queryset(self):
        qs = Notification.objects.filter(user=self.request.user)
        if self.request.query_params.get("unread") in ("1", "true"):
            qs = qs.filter(read_at__isnull=True)
        return qs


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
