"""Every text the report shows, in every language: sentences with {placeholders}, and code labels.

Kept apart from the code that formats them so that a translator reads one file; a test checks that
every key exists in every language with the same placeholders.
"""

LABELS: dict[str, dict[str, str]] = {
    # titles and notes
    "report_title": {
        "fr": "La guerre de l'IA : Musk contre Altman",
        "en": "The AI war: Musk versus Altman",
    },
    "toc_title": {"fr": "Sommaire", "en": "Contents"},
    "data_as_of": {"fr": "Données arrêtées au {date}", "en": "Data as of {date}"},
    "scope_article_only": {
        "fr": "Ce rapport ne retient que ce que dit l'article analysé, sans le dossier public.",
        "en": "This report keeps only what the analysed article says, without the public record.",
    },
    "scope_focus": {"fr": "Acteurs suivis : {actors}.", "en": "Actors followed: {actors}."},
    "figure_number": {"fr": "Figure {number}.", "en": "Figure {number}."},
    "source_note": {"fr": "Source : {source}", "en": "Source: {source}"},
    "sources_note": {"fr": "Sources : {sources}.", "en": "Sources: {sources}."},
    "sources_many": {
        "fr": "Sources : les {count} sources de la liste en fin de rapport.",
        "en": "Sources: the {count} sources listed at the end of the report.",
    },
    "no_data": {
        "fr": "Aucune donnée ne correspond à ces paramètres.",
        "en": "No data matches these parameters.",
    },
    "quote_open": {"fr": "« ", "en": "“"},
    "quote_close": {"fr": " »", "en": "”"},
    "list_and": {"fr": " et ", "en": " and "},
    "unknown_date": {"fr": "sans date", "en": "undated"},
    "and_more": {"fr": "et {count} autres", "en": "and {count} more"},
    # money
    "amount_range": {"fr": "de {low} à {high}", "en": "{low} to {high}"},
    "amount_about": {"fr": "environ {amount}", "en": "about {amount}"},
    "amount_at_least": {"fr": "au moins {amount}", "en": "at least {amount}"},
    "amount_more_than": {"fr": "plus de {amount}", "en": "more than {amount}"},
    "amount_up_to": {"fr": "jusqu'à {amount}", "en": "up to {amount}"},
    "amount_less_than": {"fr": "moins de {amount}", "en": "less than {amount}"},
    "amount_several_million": {
        "fr": "plusieurs millions de dollars",
        "en": "several million dollars",
    },
    "amount_several_billion": {
        "fr": "plusieurs milliards de dollars",
        "en": "several billion dollars",
    },
    "amount_hundreds_of_billions": {
        "fr": "des centaines de milliards de dollars",
        "en": "hundreds of billions of dollars",
    },
    # charts
    "amounts_title": {"fr": "Les montants, par nature", "en": "The amounts, by purpose"},
    "amounts_xlabel": {
        "fr": "Dollars américains (échelle logarithmique)",
        "en": "US dollars (logarithmic scale)",
    },
    "legend_fact": {"fr": "chiffre établi", "en": "established figure"},
    "legend_claim": {"fr": "affirmation d'une partie", "en": "claim by a party"},
    "legend_about": {"fr": "montant approximatif", "en": "approximate amount"},
    "legend_open": {
        "fr": "borne ouverte (plus de, jusqu'à…)",
        "en": "open bound (more than, up to…)",
    },
    "legal_title": {"fr": "Les étapes judiciaires, par affaire", "en": "Legal steps, by case"},
    "positions_title": {"fr": "Qui défend quoi", "en": "Who stands where"},
    "position_attributed": {"fr": "{actor}, selon {by}", "en": "{actor}, per {by}"},
    "stance_0": {"fr": "−2 très contre", "en": "−2 strongly against"},
    "stance_1": {"fr": "−1 contre", "en": "−1 against"},
    "stance_2": {"fr": "0 partagé", "en": "0 mixed"},
    "stance_3": {"fr": "+1 pour", "en": "+1 for"},
    "stance_4": {"fr": "+2 très pour", "en": "+2 strongly for"},
    "stance_unknown": {"fr": "? inconnu", "en": "? unknown"},
    "overall_title": {
        "fr": "De 2015 à aujourd'hui, par phase",
        "en": "From 2015 to date, by phase",
    },
    "relations_title": {"fr": "Les liens entre acteurs", "en": "Ties between actors"},
    # captions and alternative texts
    "caption_overall": {
        "fr": "Les {events} événements datés et {steps} étapes judiciaires, {span}, "
        "répartis en {phases} phases numérotées comme dans le texte. Chaque trait est un fait daté ; le chiffre à droite compte les traits de chaque ligne.",
        "en": "The {events} dated events and {steps} legal steps {span}, "
        "in {phases} phases numbered as in the text. Each tick is a dated fact; the number on the right counts the ticks of each row.",
    },
    "alt_overall": {
        "fr": "Frise chronologique de {start} à {end} sur quatre lignes (structure, argent, tribunaux, politique) "
        "avec {phases} phases en fond : {phase_list}.",
        "en": "Timeline from {start} to {end} on four rows (structure, money, courts, politics) "
        "over {phases} shaded phases: {phase_list}.",
    },
    "caption_amounts": {
        "fr": "{count} montants en dollars, sur une échelle logarithmique. Un point plein est un chiffre "
        "établi, un point creux une affirmation ; une flèche marque un montant ouvert (« plus de », "
        "« plusieurs »).",
        "en": "{count} amounts in dollars on a logarithmic scale. A filled dot is an established figure, a "
        'hollow dot a claim; an arrow marks an open-ended amount ("more than", "several").',
    },
    "alt_amounts": {
        "fr": "Graphique horizontal de {count} montants groupés par nature, de {low} à {high} ; "
        "{claims} sont des affirmations d'une partie et {open} sont ouverts.",
        "en": "Horizontal chart of {count} amounts grouped by purpose, from {low} to {high}; "
        "{claims} are claims by a party and {open} are open-ended.",
    },
    "caption_legal": {
        "fr": "Les {steps} étapes de {cases} affaires. Les numéros renvoient au tableau ci-dessous.",
        "en": "The {steps} steps of {cases} cases. Numbers refer to the table below.",
    },
    "caption_legal_dense": {
        "fr": "Les {steps} étapes de {cases} affaires, trop nombreuses pour être numérotées sur le graphique : "
        "le tableau ci-dessous les liste toutes.",
        "en": "The {steps} steps of {cases} cases, too many to number on the chart: the table below lists "
        "them all.",
    },
    "alt_legal": {
        "fr": "Chronologie judiciaire en {cases} couloirs, un par affaire, de {start} à {end} ; {steps} étapes "
        "numérotées, dont {rulings} décisions.",
        "en": "Legal timeline in {cases} lanes, one per case, from {start} to {end}; {steps} numbered steps, "
        "{rulings} of them rulings.",
    },
    "caption_positions": {
        "fr": "Position de chaque acteur sur {topics} questions, de −2 (très contre) à +2 (très pour), "
        "telle qu'il l'exprime ou qu'un autre la lui prête. « ? » : position inconnue.",
        "en": "Each actor's position on {topics} questions, from −2 (strongly against) to +2 (strongly for), "
        'as stated by the actor or attributed by someone else. "?": position unknown.',
    },
    "alt_positions": {
        "fr": "Grille de {rows} lignes (acteurs, et qui leur prête la position) sur {topics} colonnes "
        "(questions) ; {known} cases connues, {unknown} inconnues.",
        "en": "Grid of {rows} rows (actors, and who attributes the position) by {topics} columns (questions); "
        "{known} cells known, {unknown} unknown.",
    },
    "caption_relations": {
        "fr": "{ties} liens entre {actors} acteurs ; une flèche va de celui qui agit vers l'autre.",
        "en": "{ties} ties between {actors} actors; an arrow points from the one who acts to the other.",
    },
    "alt_relations": {
        "fr": "Réseau de {actors} acteurs disposés en cercle et reliés par {ties} flèches colorées selon le "
        "type de lien ; les plus reliés : {busiest}.",
        "en": "Network of {actors} actors on a circle joined by {ties} arrows coloured by kind of tie; "
        "the most connected: {busiest}.",
    },
    # executive summary
    "summary_scope": {
        "fr": "Ce rapport suit {events} événements datés et {steps} étapes judiciaires, {span}, "
        "à partir de {sources} sources ; {article} affirmations viennent de l'article analysé.",
        "en": "This report follows {events} dated events and {steps} legal steps {span}, "
        "drawn from {sources} sources; {article} statements come from the analysed article.",
    },
    "summary_origin": {
        "fr": "OpenAI a été lancée le {founded} comme laboratoire à but non lucratif ; le départ de Musk de "
        "son conseil d'administration a été annoncé le {left}.",
        "en": "OpenAI launched on {founded} as a nonprofit lab; Musk's departure from its board was announced "
        "on {left}.",
    },
    "summary_money": {
        "fr": "Le plus gros montant des données est de {amount} ({date}) : « {label} ».",
        "en": "The largest amount in the data is {amount} ({date}): “{label}”.",
    },
    "summary_case": {
        "fr": "{case} : première étape le {first}, dernière le {last} — {summary}.",
        "en": "{case}: first step on {first}, latest on {last} — {summary}.",
    },
    "summary_conflicts": {
        "fr": "{count} points de l'article contredisent le dossier public ou l'article lui-même, "
        "ou ne sont pas confirmés ; {unconfirmed} de ses affirmations n'ont pas pu être vérifiées.",
        "en": "{count} points of the article conflict with the public record or with itself, or are not "
        "confirmed; {unconfirmed} of its statements could not be checked.",
    },
    # sections
    "timeline_phases": {
        "fr": "L'histoire se découpe en {count} phases : {phases}.",
        "en": "The story falls into {count} phases: {phases}.",
    },
    "phase_item": {
        "fr": "{number}. {label} (à partir du {date})",
        "en": "{number}. {label} (from {date})",
    },
    "timeline_busiest": {
        "fr": "L'année la plus chargée est {year}, avec {count} faits datés.",
        "en": "The busiest year is {year}, with {count} dated facts.",
    },
    "money_overview": {
        "fr": "Les données comptent {count} montants, dont {claims} affirmations d'une partie et {open} "
        "montants ouverts, qui n'ont pas de borne haute connue.",
        "en": "The data holds {count} amounts, {claims} of them claims by a party and {open} open-ended, with "
        "no known upper bound.",
    },
    "money_rounds": {
        "fr": "Les levées de fonds d'OpenAI passent de {first} ({first_date}) à {last} ({last_date}).",
        "en": "OpenAI's funding rounds grow from {first} ({first_date}) to {last} ({last_date}).",
    },
    "money_donations": {
        "fr": "Ce que Musk a donné à OpenAI reste disputé : {figures}.",
        "en": "What Musk gave OpenAI remains disputed: {figures}.",
    },
    "money_donation_item": {
        "fr": "{amount} selon {who} ({date})",
        "en": "{amount} according to {who} ({date})",
    },
    "money_article": {
        "fr": "Les montants de l'article : {items}.",
        "en": "The article's own figures: {items}.",
    },
    "money_article_item": {"fr": "{label}, {amount}", "en": "{label}, {amount}"},
    "legal_overview": {
        "fr": "{steps} étapes judiciaires dans {cases} affaires ; la plus récente date du {last}.",
        "en": "{steps} legal steps in {cases} cases; the latest is dated {last}.",
    },
    "legal_case": {
        "fr": "{case} : {steps} étapes du {first} au {last}.",
        "en": "{case}: {steps} steps from {first} to {last}.",
    },
    "legal_table_cut": {
        "fr": "Le tableau donne les {shown} étapes les plus récentes sur {total} ; toutes figurent dans les données.",
        "en": "The table gives the {shown} most recent of {total} steps; all are in the data.",
    },
    "legal_key_number": {"fr": "N°", "en": "No."},
    "legal_key_date": {"fr": "Date", "en": "Date"},
    "legal_key_case": {"fr": "Affaire", "en": "Case"},
    "legal_key_step": {"fr": "Étape", "en": "Step"},
    "legal_key_summary": {"fr": "Ce qui s'est passé", "en": "What happened"},
    "positions_topic": {"fr": "{topic} : {stances}.", "en": "{topic}: {stances}."},
    "positions_item": {"fr": "{actor} {stance}", "en": "{actor} {stance}"},
    "positions_by": {"fr": " (selon {by})", "en": " (per {by})"},
    "positions_word_-2": {"fr": "très contre", "en": "strongly against"},
    "positions_word_-1": {"fr": "contre", "en": "against"},
    "positions_word_0": {"fr": "partagé", "en": "mixed"},
    "positions_word_1": {"fr": "pour", "en": "for"},
    "positions_word_2": {"fr": "très pour", "en": "strongly for"},
    "relations_overview": {
        "fr": "{ties} liens relient {actors} acteurs. {busiest} en compte le plus ({count}).",
        "en": "{ties} ties join {actors} actors. {busiest} has the most ({count}).",
    },
    "conflict_version": {"fr": "Version {letter}", "en": "Version {letter}"},
    "conflict_assessment": {
        "fr": "Lecture du projet : {assessment}.",
        "en": "The project's reading: {assessment}.",
    },
    "conflicts_none": {
        "fr": "Aucun désaccord ne correspond à ces paramètres.",
        "en": "No disagreement matches these parameters.",
    },
    "method_counts": {
        "fr": "Les données réunissent {rows} lignes dans {tables} tables, tirées de {sources} sources. Parmi les "
        "lignes vérifiables : {confirmed} confirmées, {inferred} déduites, {unconfirmed} non confirmées, "
        "{contradicted} contredites par le dossier public.",
        "en": "The data holds {rows} rows in {tables} tables, drawn from {sources} sources. Of the checkable "
        "rows: {confirmed} confirmed, {inferred} inferred, {unconfirmed} unconfirmed, {contradicted} "
        "contradicted by the public record.",
    },
    "method_parameters": {
        "fr": "Paramètres de cette édition : {language}, données jusqu'au {as_of}, dossier public {record}, "
        "acteurs suivis : {focus}.",
        "en": "Parameters of this edition: {language}, data up to {as_of}, public record {record}, actors "
        "followed: {focus}.",
    },
    "edition_language": {"fr": "en français", "en": "in English"},
    "yes": {"fr": "inclus", "en": "included"},
    "no": {"fr": "exclu", "en": "left out"},
    "all_actors": {"fr": "tous", "en": "all"},
    "source_published": {"fr": "Publié le {date}", "en": "Published {date}"},
    "source_undated": {"fr": "Date de publication inconnue", "en": "Publication date unknown"},
    "source_archived": {"fr": "Archivé pour l'analyse", "en": "Archived for analysis"},
}

# How each code of the data reads, by field.
CODES: dict[str, dict[str, dict[str, str]]] = {
    "purpose": {
        "pledge": {"fr": "Engagement", "en": "Pledge"},
        "donation": {"fr": "Don", "en": "Donation"},
        "investment": {"fr": "Investissement", "en": "Investment"},
        "funding round": {"fr": "Levée de fonds", "en": "Funding round"},
        "valuation": {"fr": "Valorisation", "en": "Valuation"},
        "cost estimate": {"fr": "Estimation de coût", "en": "Cost estimate"},
        "bid": {"fr": "Offre de rachat", "en": "Bid"},
        "alleged loss": {"fr": "Perte alléguée", "en": "Alleged loss"},
        "damages sought": {"fr": "Dommages réclamés", "en": "Damages sought"},
        "stake value": {"fr": "Valeur de participation", "en": "Stake value"},
        "debt": {"fr": "Dette", "en": "Debt"},
    },
    "step": {
        "complaint": {"fr": "plainte", "en": "complaint"},
        "withdrawal": {"fr": "retrait", "en": "withdrawal"},
        "refiling": {"fr": "nouvelle plainte", "en": "refiling"},
        "amended complaint": {"fr": "plainte modifiée", "en": "amended complaint"},
        "motion": {"fr": "requête", "en": "motion"},
        "opposition": {"fr": "opposition", "en": "opposition"},
        "hearing": {"fr": "audience", "en": "hearing"},
        "ruling": {"fr": "décision", "en": "ruling"},
        "scheduling order": {"fr": "calendrier", "en": "scheduling order"},
        "counterclaim": {"fr": "demande reconventionnelle", "en": "counterclaim"},
        "letter to a regulator": {"fr": "lettre à une autorité", "en": "letter to a regulator"},
        "regulator decision": {"fr": "décision d'une autorité", "en": "regulator decision"},
        "trial": {"fr": "procès", "en": "trial"},
        "verdict": {"fr": "verdict", "en": "verdict"},
        "appeal announced": {"fr": "appel annoncé", "en": "appeal announced"},
    },
    "step_group": {
        "filing": {"fr": "plainte ou demande", "en": "filing"},
        "withdrawal": {"fr": "retrait", "en": "withdrawal"},
        "motion": {"fr": "requête", "en": "motion"},
        "hearing": {"fr": "audience, procès", "en": "hearing, trial"},
        "ruling": {"fr": "décision, verdict", "en": "ruling, verdict"},
        "letter": {"fr": "lettre à une autorité", "en": "letter to a regulator"},
        "appeal": {"fr": "appel", "en": "appeal"},
    },
    "track": {
        "structure": {"fr": "Structure", "en": "Structure"},
        "money": {"fr": "Argent", "en": "Money"},
        "courts": {"fr": "Tribunaux", "en": "Courts"},
        "politics": {"fr": "Politique, déclarations", "en": "Politics, statements"},
    },
    "relation_group": {
        "origin": {"fr": "fondation, départ", "en": "founding, departure"},
        "money": {"fr": "argent, rachat", "en": "money, acquisition"},
        "legal": {"fr": "poursuite", "en": "lawsuit"},
        "alliance": {"fr": "alliance, soutien", "en": "alliance, support"},
        "rivalry": {"fr": "concurrence", "en": "rivalry"},
    },
    "verification": {
        "confirmed": {"fr": "confirmé", "en": "confirmed"},
        "inferred": {"fr": "déduit", "en": "inferred"},
        "unconfirmed": {"fr": "non confirmé", "en": "unconfirmed"},
        "contradicted": {"fr": "contredit", "en": "contradicted"},
    },
    "assessment": {
        "record contradicts article": {
            "fr": "le dossier public contredit l'article",
            "en": "the record contradicts the article",
        },
        "unresolved": {"fr": "non tranché", "en": "unresolved"},
        "article inconsistent": {
            "fr": "l'article se contredit",
            "en": "the article contradicts itself",
        },
        "not confirmed": {
            "fr": "non confirmé par le dossier public",
            "en": "not confirmed by the record",
        },
    },
    "conflict_kind": {
        "article vs record": {
            "fr": "L'article face au dossier public",
            "en": "Article versus record",
        },
        "article vs itself": {"fr": "L'article face à lui-même", "en": "Article versus itself"},
        "sources disagree": {"fr": "Des sources en désaccord", "en": "Sources disagree"},
        "not found in the record": {
            "fr": "Introuvable dans le dossier public",
            "en": "Not found in the record",
        },
    },
}
