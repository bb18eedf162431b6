def handler(request):
    return {"ok": bool(request)}
