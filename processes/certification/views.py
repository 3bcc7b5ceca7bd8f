def portal_section(request):
    return ""
