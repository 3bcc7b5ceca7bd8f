from django.contrib import admin

from .models import Notification, Preferences, SentReminder


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "user", "title", "kind", "reference", "read_at", "emailed_at", "sms_sent_at"]
    list_filter = ["kind", "by_email", "by_sms"]
    search_fields = ["title", "reference", "user__username"]


@admin.register(Preferences)
class PreferencesAdmin(admin.ModelAdmin):
    list_display = ["user", "language", "updated_at"]
    search_fields = ["user__username", "user__full_name"]


@admin.register(SentReminder)
class SentReminderAdmin(admin.ModelAdmin):
    list_display = ["sent_at", "recipient", "kind", "object_type", "object_id", "deadline"]
    list_filter = ["kind"]
    search_fields = ["recipient__username"]
    readonly_fields = ["recipient", "kind", "object_type", "object_id", "deadline", "sent_at"]
