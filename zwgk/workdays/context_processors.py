def calendar_warnings(request):
    return {}
