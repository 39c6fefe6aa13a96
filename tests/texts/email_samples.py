SAMPLES = {
    "texts/emails/integrated.txt": lambda: {
        "first_name": "Lina",
        "title": "Charte de l'accueil des enfants",
        "version_number": 2,
        "article_label": "Article 3",
        "reason": "",
        "url": "https://protection-enfance.example/textes/charte/versions/2/#article-3",
    },
    "texts/emails/declined.txt": lambda: {
        "first_name": "",
        "title": "Charte de l'accueil des enfants",
        "version_number": None,
        "article_label": "Article 1er",
        "reason": "L'article 3 traite déjà de la place des enfants.",
        "url": "https://protection-enfance.example/textes/charte/articles/1/",
    },
}
