from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from .models import Departement, Region
from .search import commune_label, search_communes


@login_not_required
def index(request):
    regions = Region.objects.prefetch_related("departements")
    return render(request, "territories/index.html", {"regions": regions})


@login_not_required
def region(request, code):
    region = get_object_or_404(Region, code=code)
    return render(
        request,
        "territories/region.html",
        {"region": region, "departements": region.departements.all()},
    )


@login_not_required
def departement(request, code):
    departement = get_object_or_404(Departement.objects.select_related("region"), code=code)
    communes = departement.communes.order_by("name")
    page = Paginator(communes, 100).get_page(request.GET.get("page"))
    return render(
        request, "territories/departement.html", {"departement": departement, "page_obj": page}
    )


@login_not_required
def commune_suggestions(request):
    """Options for the commune inputs: `champ` names the GET parameter that holds the text."""
    field = request.GET.get("champ", "q")
    query = request.GET.get(field, "") or request.GET.get("q", "")
    communes = search_communes(query[:100], limit=10)
    options = [{"label": commune_label(c), "departement": c.departement} for c in communes]
    return render(request, "territories/commune_suggestions.html", {"options": options})
