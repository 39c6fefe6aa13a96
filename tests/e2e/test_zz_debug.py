from tests.e2e.conftest import AXE_JS
def test_dump(new_context, live_server, commune):
    page = new_context(bypass_csp=True).new_page()
    for path in ["/", "/comptes/signup/", "/comptes/login/", "/nope/"]:
        page.goto(live_server.url + path)
        page.add_script_tag(path=str(AXE_JS))
        r = page.evaluate('async () => await axe.run(document)')
        print("=====", path, "passes", len(r["passes"]), "incomplete", [(i["id"], i["impact"]) for i in r["incomplete"]])
        for v in r["violations"]:
            print(v["impact"], v["id"], v["help"], [n["target"] for n in v["nodes"]])
        print(page.evaluate("getComputedStyle(document.body).fontFamily"))
