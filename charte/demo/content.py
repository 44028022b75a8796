"""Demo content for the Saint-Aubin-des-Lavandes citizen participation charter.

Data only, no logic. The authority (the "Ville de Saint-Aubin-des-Lavandes"), its neighbourhoods
and every text below are fictional and were written for this demo. Each human-readable string is
given in French ("fr") and English ("en").

Names defined here:

* ``AUTHORITY``: the authority's name.
* ``CHARTER``: the charter's metadata, contact details and the timeline of its five phases. Phase
  dates are day offsets relative to "today" (negative = past), so the demo always looks current;
  the third phase (consultation on successive versions) contains offset 0.
* ``V1``: iteration 1, the draft submitted for consultation (3 sections, 8 articles, 40 paragraphs).
* ``V2``: iteration 2, the amended version after the first consultation (8 articles, 41 paragraphs).

Keys ("s1".."s3", "a1".."a8", "p1".."p43") are stable identifiers, unique across the file: a key
kept from V1 to V2 always denotes the same paragraph (or article, or section), so that the two
iterations can be compared.
"""

AUTHORITY = {"fr": "Ville de Saint-Aubin-des-Lavandes", "en": "Town of Saint-Aubin-des-Lavandes"}

CHARTER = {
    "slug": {"fr": "charte-de-la-participation", "en": "participation-charter"},
    "title": {
        "fr": "Charte de la participation citoyenne de Saint-Aubin-des-Lavandes",
        "en": "Saint-Aubin-des-Lavandes Citizen Participation Charter",
    },
    "introduction": {
        "fr": (
            "<p>Parce que la ville se construit d’abord avec celles et ceux qui la font vivre, la "
            "municipalité de Saint-Aubin-des-Lavandes a choisi d’écrire sa <strong>charte de la "
            "participation citoyenne</strong> avec ses habitantes et ses habitants, plutôt que de "
            "la leur présenter une fois terminée.</p><p>Le texte ci-dessous est un document de "
            "travail. Chacun peut le lire, commenter un article, proposer une nouvelle rédaction "
            "ou soutenir la contribution d’un voisin. Chaque remarque sera lue, et la Ville "
            "expliquera publiquement ce qu’elle en retient et pourquoi.</p><p>Au terme de la "
            "concertation, la charte sera soumise au vote du conseil municipal. Elle deviendra "
            "alors <em>notre</em> règle commune : celle qui dit comment la Ville associe les "
            "habitants aux décisions qui les concernent.</p>"
        ),
        "en": (
            "<p>Because a town is built first and foremost with the people who bring it to life, "
            "the municipality of Saint-Aubin-des-Lavandes has chosen to write its <strong>citizen "
            "participation charter</strong> together with its residents, rather than presenting it "
            "to them once it is finished.</p><p>The text below is a working document. Anyone can "
            "read it, comment on an article, suggest new wording or support a neighbour’s "
            "contribution. Every comment will be read, and the Town will explain publicly what it "
            "takes on board and why.</p><p>At the end of the consultation, the charter will be put "
            "to a vote of the town council. It will then become <em>our</em> shared rule: the one "
            "that sets out how the Town involves residents in the decisions that affect them.</p>"
        ),
    },
    "territory": {
        "fr": (
            "Saint-Aubin-des-Lavandes et ses quatre quartiers : Centre-bourg, Les Tilleuls, La "
            "Garenne et Le Port"
        ),
        "en": (
            "Saint-Aubin-des-Lavandes and its four neighbourhoods: Centre-bourg, Les Tilleuls, La "
            "Garenne and Le Port"
        ),
    },
    "contact_name": {"fr": "Mission participation citoyenne", "en": "Citizen participation unit"},
    "contact_email": "participation@saint-aubin-des-lavandes.example",
    "contact_details": {
        "fr": (
            "Maison de la participation – 14, rue des Tilleuls, Saint-Aubin-des-Lavandes\n"
            "Accueil du mardi au vendredi, de 9 h à 12 h 30 et de 14 h à 18 h\n"
            "Nocturne le jeudi jusqu’à 20 h, et le samedi de 9 h à 12 h"
        ),
        "en": (
            "Maison de la participation – 14 rue des Tilleuls, Saint-Aubin-des-Lavandes\n"
            "Open Tuesday to Friday, 9 am to 12.30 pm and 2 pm to 6 pm\n"
            "Late opening on Thursdays until 8 pm, and Saturdays 9 am to 12 noon"
        ),
    },
    "phases": [
        {
            "title": {"fr": "Temps d’écoute", "en": "Listening phase"},
            "start": -150,
            "end": -106,
            "description": {
                "fr": (
                    "Questionnaires, permanences sur le marché et balades urbaines dans les quatre "
                    "quartiers pour recueillir les attentes des habitants en matière de "
                    "participation."
                ),
                "en": (
                    "Questionnaires, drop-in stands at the market and walks through all four "
                    "neighbourhoods to gather residents’ expectations about participation."
                ),
            },
        },
        {
            "title": {"fr": "Débats et rédaction du projet", "en": "Debates and drafting"},
            "start": -105,
            "end": -61,
            "description": {
                "fr": (
                    "Un atelier d’écriture réunissant habitants tirés au sort, associations, "
                    "agents et élus rédige, à partir de ce qui a été entendu, le projet de charte "
                    "soumis à la concertation."
                ),
                "en": (
                    "A drafting workshop bringing together residents drawn by lot, associations, "
                    "staff and councillors writes, on the basis of what was heard, the draft "
                    "charter submitted for consultation."
                ),
            },
        },
        {
            "title": {
                "fr": "Concertation et versions successives",
                "en": "Consultation and successive versions",
            },
            "start": -60,
            "end": 14,
            "description": {
                "fr": (
                    "Le projet est ouvert aux commentaires, en ligne et en réunion. Une version "
                    "amendée, qui tient compte des contributions reçues, est à son tour soumise "
                    "aux habitants avant la rédaction du texte définitif."
                ),
                "en": (
                    "The draft is open for comments, online and at meetings. An amended version, "
                    "reflecting the contributions received, is in turn put to residents before the "
                    "final text is written."
                ),
            },
        },
        {
            "title": {"fr": "Adoption", "en": "Adoption"},
            "start": 15,
            "end": 45,
            "description": {
                "fr": (
                    "La synthèse de la concertation est publiée, puis la charte est présentée et "
                    "soumise au vote du conseil municipal lors d’une séance ouverte au public."
                ),
                "en": (
                    "The consultation summary is published, then the charter is presented and put "
                    "to the vote of the town council at a meeting open to the public."
                ),
            },
        },
        {
            "title": {"fr": "Mise en œuvre et suivi", "en": "Implementation and follow-up"},
            "start": 46,
            "end": 410,
            "description": {
                "fr": (
                    "Un comité de suivi veille à l’application de la charte et présente chaque "
                    "année un bilan public de la participation citoyenne à "
                    "Saint-Aubin-des-Lavandes."
                ),
                "en": (
                    "A monitoring committee oversees the application of the charter and presents "
                    "an annual public report on citizen participation in Saint-Aubin-des-Lavandes."
                ),
            },
        },
    ],
}

# Iteration 1: the draft submitted for consultation (40 paragraphs, p1..p40 in reading order).
V1 = {
    "label": {"fr": "Projet soumis à la concertation", "en": "Draft submitted for consultation"},
    "summary": {
        "fr": (
            "Ce premier projet a été rédigé par un atelier d’écriture de trente habitants, agents "
            "et élus, à partir des attentes exprimées pendant le temps d’écoute. Il est soumis à "
            "vos commentaires : chaque article et chaque paragraphe peuvent être discutés."
        ),
        "en": (
            "This first draft was written by a drafting workshop of thirty residents, staff and "
            "councillors, based on the expectations voiced during the listening phase. It is open "
            "to your comments: every article and every paragraph can be discussed."
        ),
    },
    "sections": [
        {
            "key": "s1",
            "title": {
                "fr": "Titre I – Principes et participants",
                "en": "Title I – Principles and participants",
            },
            "articles": [
                {
                    "key": "a1",
                    "title": {"fr": "Objet de la charte", "en": "Purpose of the charter"},
                    "paragraphs": [
                        {
                            "key": "p1",
                            "fr": (
                                "La présente charte définit la manière dont la Ville de "
                                "Saint-Aubin-des-Lavandes associe les habitants à l’élaboration "
                                "des décisions publiques locales. Elle fixe des règles communes, "
                                "connues de tous, que la municipalité s’engage à respecter chaque "
                                "fois qu’elle ouvre une démarche de participation, quels qu’en "
                                "soient le sujet ou l’ampleur."
                            ),
                            "en": (
                                "This charter sets out how the Town of Saint-Aubin-des-Lavandes "
                                "involves residents in shaping local public decisions. It lays "
                                "down common rules, known to all, which the municipality "
                                "undertakes to follow whenever it opens a participatory process, "
                                "whatever its subject or scale."
                            ),
                        },
                        {
                            "key": "p2",
                            "fr": (
                                "La participation citoyenne ne remplace pas la démocratie "
                                "représentative : le conseil municipal, élu au suffrage universel, "
                                "reste seul compétent pour délibérer. Elle l’enrichit en "
                                "permettant aux élus de décider en connaissance des besoins, des "
                                "savoirs et des avis de celles et ceux qui vivent, travaillent ou "
                                "étudient dans la commune."
                            ),
                            "en": (
                                "Citizen participation does not replace representative democracy: "
                                "the town council, elected by universal suffrage, alone has the "
                                "power to decide. Participation enriches it by enabling "
                                "councillors to decide with full knowledge of the needs, expertise "
                                "and views of those who live, work or study in the town."
                            ),
                        },
                        {
                            "key": "p3",
                            "fr": (
                                "La charte s’applique à tous les projets portés par la Ville qui "
                                "ont un effet sensible sur le cadre de vie : aménagement des "
                                "espaces publics, équipements, mobilités, services à la "
                                "population, grandes orientations budgétaires. Elle concerne aussi "
                                "bien les projets qui touchent l’ensemble de la commune que ceux "
                                "qui ne concernent qu’un seul quartier."
                            ),
                            "en": (
                                "The charter applies to all projects led by the Town that have a "
                                "noticeable effect on people’s surroundings and daily lives: the "
                                "design of public spaces, facilities, transport, public services "
                                "and major budget choices. It covers projects affecting the whole "
                                "town as well as those that concern a single neighbourhood."
                            ),
                        },
                        {
                            "key": "p4",
                            "fr": (
                                "Elle distingue trois niveaux d’association des habitants : "
                                "l’information, qui rend les projets compréhensibles ; la "
                                "consultation, qui recueille les avis avant la décision ; la "
                                "concertation, qui construit des propositions avec les "
                                "participants. Pour chaque démarche, la Ville annonce dès le "
                                "départ le niveau retenu et ce qui reste réellement ouvert à la "
                                "discussion."
                            ),
                            "en": (
                                "It distinguishes three levels of resident involvement: "
                                "information, which makes projects understandable; consultation, "
                                "which gathers views before a decision is taken; and co-design, "
                                "which builds proposals together with participants. For each "
                                "process, the Town states from the outset which level applies and "
                                "what genuinely remains open for discussion."
                            ),
                        },
                        {
                            "key": "p5",
                            "fr": (
                                "La charte est un engagement politique de la municipalité. Elle "
                                "n’a pas de valeur réglementaire et ne crée pas de droits "
                                "opposables devant les tribunaux, mais elle engage moralement les "
                                "élus et les services, qui devront rendre compte publiquement de "
                                "la manière dont ils l’appliquent."
                            ),
                            "en": (
                                "The charter is a political commitment by the municipality. It has "
                                "no regulatory force and creates no rights that can be enforced in "
                                "court, but it is morally binding on councillors and Town "
                                "departments, who will have to report publicly on how they apply "
                                "it."
                            ),
                        },
                    ],
                },
                {
                    "key": "a2",
                    "title": {
                        "fr": "Les principes de la participation",
                        "en": "Principles of participation",
                    },
                    "paragraphs": [
                        {
                            "key": "p6",
                            "fr": (
                                "Transparence : les documents utiles à la compréhension d’un "
                                "projet – études, plans, coûts, calendrier, contraintes techniques "
                                "et juridiques – sont mis à la disposition de tous, en ligne et "
                                "sur papier, avant le début de chaque démarche. La Ville indique "
                                "également qui décidera, à quel moment et selon quels critères."
                            ),
                            "en": (
                                "Transparency: the documents needed to understand a project – "
                                "studies, plans, costs, timetable, technical and legal constraints "
                                "– are made available to all, online and on paper, before each "
                                "process begins. The Town also states who will decide, when, and "
                                "on what criteria."
                            ),
                        },
                        {
                            "key": "p7",
                            "fr": (
                                "Égalité : chaque participant reçoit la même considération, quels "
                                "que soient son statut, son niveau d’études ou son aisance à "
                                "l’oral. La Ville diversifie les moyens d’expression et va à la "
                                "rencontre des publics qui participent le moins, afin que les avis "
                                "recueillis reflètent la diversité réelle de la population."
                            ),
                            "en": (
                                "Equality: every participant is given the same consideration, "
                                "whatever their status, education or confidence in speaking. The "
                                "Town offers varied ways of taking part and reaches out to the "
                                "groups who participate least, so that the views gathered reflect "
                                "the real diversity of the population."
                            ),
                        },
                        {
                            "key": "p8",
                            "fr": (
                                "Sincérité : la Ville ne consulte pas sur une décision déjà prise. "
                                "Elle s’engage à examiner chaque proposition avec sérieux et à "
                                "expliquer honnêtement pourquoi elle la retient, la modifie ou "
                                "l’écarte. Une réponse négative mais motivée vaut toujours mieux "
                                "qu’un silence."
                            ),
                            "en": (
                                "Sincerity: the Town does not consult on decisions that have "
                                "already been made. It undertakes to examine every proposal "
                                "seriously and to explain honestly why it adopts, modifies or "
                                "rejects it. A refusal that gives its reasons is always better "
                                "than silence."
                            ),
                        },
                        {
                            "key": "p9",
                            "fr": (
                                "Clarté : les informations diffusées dans le cadre des démarches "
                                "de participation sont rédigées de manière claire et pédagogique. "
                                "Les sigles et le vocabulaire technique sont expliqués afin que "
                                "chacun puisse se forger une opinion sur les projets présentés. En "
                                "réunion, les intervenants veillent à s’exprimer simplement et à "
                                "vérifier qu’ils ont été compris."
                            ),
                            "en": (
                                "Clarity: information circulated as part of participatory "
                                "processes is written clearly and accessibly. Acronyms and "
                                "technical vocabulary are explained so that everyone can form an "
                                "opinion on the projects presented. At meetings, speakers take "
                                "care to express themselves simply and to check that they have "
                                "been understood."
                            ),
                        },
                        {
                            "key": "p10",
                            "fr": (
                                "Respect : les échanges se déroulent dans l’écoute et la "
                                "courtoisie. Chacun peut exprimer un désaccord, y compris avec la "
                                "municipalité, sans crainte et sans être interrompu. Les propos "
                                "injurieux, discriminatoires ou diffamatoires ne sont pas admis ; "
                                "les contributions en ligne qui en contiennent sont modérées selon "
                                "des règles publiées."
                            ),
                            "en": (
                                "Respect: discussions take place in a spirit of listening and "
                                "courtesy. Everyone may express disagreement, including with the "
                                "municipality, without fear and without being interrupted. "
                                "Insulting, discriminatory or defamatory remarks are not accepted; "
                                "online contributions containing them are moderated according to "
                                "published rules."
                            ),
                        },
                    ],
                },
                {
                    "key": "a3",
                    "title": {"fr": "Les participants", "en": "Participants"},
                    "paragraphs": [
                        {
                            "key": "p11",
                            "fr": (
                                "Toute personne qui habite Saint-Aubin-des-Lavandes peut "
                                "participer aux démarches prévues par la présente charte, quelle "
                                "que soit sa nationalité et qu’elle soit ou non inscrite sur les "
                                "listes électorales. Les personnes qui travaillent, étudient ou "
                                "exercent une activité bénévole dans la commune sont également les "
                                "bienvenues, en tant qu’usagers de la ville."
                            ),
                            "en": (
                                "Anyone who lives in Saint-Aubin-des-Lavandes may take part in the "
                                "processes provided for by this charter, whatever their "
                                "nationality and whether or not they are registered to vote. "
                                "People who work, study or volunteer in the town are also welcome, "
                                "as users of the town."
                            ),
                        },
                        {
                            "key": "p12",
                            "fr": (
                                "Les jeunes à partir de seize ans peuvent participer à l’ensemble "
                                "des démarches dans les mêmes conditions que les adultes. Les plus "
                                "jeunes peuvent être associés aux projets qui les concernent "
                                "directement, notamment par l’intermédiaire des écoles et des "
                                "structures d’animation de la Ville."
                            ),
                            "en": (
                                "Young people aged sixteen and over may take part in all processes "
                                "on the same terms as adults. Younger children may be involved in "
                                "projects that directly concern them, in particular through "
                                "schools and the Town’s youth and leisure centres."
                            ),
                        },
                        {
                            "key": "p13",
                            "fr": (
                                "Les associations, les collectifs d’habitants, les commerçants, "
                                "les entreprises et les autres acteurs économiques de la commune "
                                "peuvent contribuer aux démarches. Ils s’expriment en leur nom "
                                "propre et indiquent clairement l’intérêt qu’ils représentent, "
                                "afin que leur contribution soit comprise et prise en compte à sa "
                                "juste place."
                            ),
                            "en": (
                                "Associations, residents’ groups, shopkeepers, businesses and "
                                "other economic players in the town may contribute to the "
                                "processes. They speak in their own name and state clearly the "
                                "interests they represent, so that their contribution is "
                                "understood and given its proper weight."
                            ),
                        },
                        {
                            "key": "p14",
                            "fr": (
                                "Les agents municipaux apportent leur expertise technique, "
                                "expliquent les contraintes des projets et animent les démarches. "
                                "Ils peuvent aussi participer à titre personnel lorsqu’ils "
                                "habitent la commune. La Ville les forme aux méthodes de "
                                "participation et reconnaît ce travail dans l’organisation des "
                                "services."
                            ),
                            "en": (
                                "Town staff contribute their technical expertise, explain the "
                                "constraints on projects and run participatory processes. They may "
                                "also take part in a personal capacity if they live in the town. "
                                "The Town trains them in participatory methods and recognises this "
                                "work in the way its departments are organised."
                            ),
                        },
                        {
                            "key": "p15",
                            "fr": (
                                "Les élus, de la majorité comme de l’opposition, sont invités à "
                                "toutes les réunions publiques. Ils y viennent d’abord pour "
                                "écouter : ils présentent les projets et les marges de manœuvre, "
                                "répondent aux questions, mais veillent à laisser la plus large "
                                "place à la parole des habitants et des conseils de quartier."
                            ),
                            "en": (
                                "Councillors, from both the majority and the opposition, are "
                                "invited to all public meetings. They come first and foremost to "
                                "listen: they present projects and the room for manoeuvre and "
                                "answer questions, but take care to leave as much room as possible "
                                "for residents and neighbourhood councils to speak."
                            ),
                        },
                    ],
                },
            ],
        },
        {
            "key": "s2",
            "title": {
                "fr": "Titre II – Les démarches de participation",
                "en": "Title II – How participation works",
            },
            "articles": [
                {
                    "key": "a4",
                    "title": {
                        "fr": "L’organisation des concertations",
                        "en": "How consultations are organised",
                    },
                    "paragraphs": [
                        {
                            "key": "p16",
                            "fr": (
                                "Chaque démarche de participation fait l’objet d’une fiche de "
                                "présentation publiée au moins trois semaines avant son lancement. "
                                "Celle-ci précise l’objet de la concertation, les questions posées "
                                "aux habitants, ce qui n’est pas négociable, le calendrier, les "
                                "modalités de participation et la date à laquelle la décision sera "
                                "prise."
                            ),
                            "en": (
                                "Each participatory process is described in a presentation sheet "
                                "published at least three weeks before it starts. The sheet "
                                "specifies the subject of the consultation, the questions put to "
                                "residents, what is not open to negotiation, the timetable, how to "
                                "take part and the date on which the decision will be taken."
                            ),
                        },
                        {
                            "key": "p17",
                            "fr": (
                                "La plateforme en ligne de la Ville permet de consulter les "
                                "documents, de déposer des contributions, de commenter celles des "
                                "autres et de suivre l’avancement de chaque projet. Pour les "
                                "personnes éloignées du numérique, des registres papier et un "
                                "accompagnement sont proposés à la Maison de la participation et à "
                                "la mairie annexe du Port."
                            ),
                            "en": (
                                "The Town’s online platform makes it possible to read the "
                                "documents, submit contributions, comment on those of others and "
                                "follow the progress of each project. For people who are not at "
                                "ease with digital tools, paper registers and one-to-one help are "
                                "available at the Maison de la participation and at the Le Port "
                                "local town hall office."
                            ),
                        },
                        {
                            "key": "p18",
                            "fr": (
                                "Les réunions publiques permettent de présenter un projet, d’en "
                                "débattre et de recueillir les réactions de la salle. Elles sont "
                                "annoncées au moins quinze jours à l’avance par voie d’affichage, "
                                "dans le magazine municipal et sur la plateforme. Un compte rendu "
                                "est publié dans le mois qui suit chaque réunion."
                            ),
                            "en": (
                                "Public meetings are used to present a project, debate it and "
                                "gather reactions from the audience. They are announced at least "
                                "two weeks in advance on notice boards, in the town magazine and "
                                "on the platform. Minutes are published within a month of each "
                                "meeting."
                            ),
                        },
                        {
                            "key": "p19",
                            "fr": (
                                "Des ateliers en petits groupes sont organisés pour approfondir "
                                "les questions les plus complexes. Ils se tiennent en principe à "
                                "l’hôtel de ville, en journée ou en début de soirée, et réunissent "
                                "des habitants volontaires, accompagnés d’agents et, le cas "
                                "échéant, d’experts extérieurs."
                            ),
                            "en": (
                                "Small-group workshops are organised to explore the most complex "
                                "questions in depth. They are normally held at the town hall, "
                                "during the day or in the early evening, and bring together "
                                "volunteer residents, supported by staff and, where appropriate, "
                                "outside experts."
                            ),
                        },
                        {
                            "key": "p20",
                            "fr": (
                                "La Ville veille à ce que les lieux de réunion soient faciles "
                                "d’accès, y compris en transports en commun, et à ce que les "
                                "horaires permettent au plus grand nombre de participer. Les "
                                "participants qui rencontrent des difficultés particulières "
                                "peuvent le signaler à la Mission participation citoyenne, qui "
                                "recherche avec eux une solution adaptée."
                            ),
                            "en": (
                                "The Town makes sure that meeting venues are easy to reach, "
                                "including by public transport, and that meeting times allow as "
                                "many people as possible to take part. Participants who face "
                                "particular difficulties can let the Citizen participation unit "
                                "know, and it will work with them to find a suitable solution."
                            ),
                        },
                        {
                            "key": "p21",
                            "fr": (
                                "Une concertation dure au minimum six semaines, hors vacances "
                                "scolaires d’été. Ce délai peut être allongé pour les projets "
                                "importants, ou prolongé à la demande des participants lorsque les "
                                "échanges le justifient. Aucune démarche ne se clôt sans qu’une "
                                "date de restitution publique ait été annoncée."
                            ),
                            "en": (
                                "A consultation lasts at least six weeks, not counting the summer "
                                "school holidays. This period may be longer for major projects, or "
                                "extended at participants’ request when the discussions warrant "
                                "it. No process closes until a date has been announced for the "
                                "public feedback session."
                            ),
                        },
                    ],
                },
                {
                    "key": "a5",
                    "title": {"fr": "Les conseils de quartier", "en": "Neighbourhood councils"},
                    "paragraphs": [
                        {
                            "key": "p22",
                            "fr": (
                                "Un conseil de quartier est institué dans chacun des quatre "
                                "quartiers de la commune : Centre-bourg, Les Tilleuls, La Garenne "
                                "et Le Port. Lieu de dialogue entre habitants, élus et services, "
                                "il fait remonter les besoins du quartier, donne son avis sur les "
                                "projets qui le concernent et peut porter ses propres propositions."
                            ),
                            "en": (
                                "A neighbourhood council is set up in each of the town’s four "
                                "neighbourhoods: Centre-bourg, Les Tilleuls, La Garenne and Le "
                                "Port. As a forum for dialogue between residents, councillors and "
                                "staff, it passes on the neighbourhood’s needs, gives its opinion "
                                "on projects that affect it and may put forward its own proposals."
                            ),
                        },
                        {
                            "key": "p23",
                            "fr": (
                                "Chaque conseil comprend des habitants volontaires, des habitants "
                                "tirés au sort à partir des adresses du quartier, ainsi que des "
                                "représentants des associations et des commerçants. Le tirage au "
                                "sort garantit la parité entre femmes et hommes. Les membres sont "
                                "désignés pour deux ans, renouvelables une fois."
                            ),
                            "en": (
                                "Each council includes volunteer residents, residents drawn by lot "
                                "from the neighbourhood’s addresses, and representatives of local "
                                "associations and shopkeepers. The drawing of lots ensures an "
                                "equal number of women and men. Members are appointed for two "
                                "years, renewable once."
                            ),
                        },
                        {
                            "key": "p24",
                            "fr": (
                                "Les conseils de quartier se réunissent au moins quatre fois par "
                                "an. Leurs séances sont publiques et leur ordre du jour reprend "
                                "les questions proposées par les membres comme par les habitants "
                                "du quartier. Ils peuvent inviter les élus et les responsables des "
                                "services municipaux à venir présenter un dossier ou répondre aux "
                                "questions du public."
                            ),
                            "en": (
                                "Neighbourhood councils meet at least four times a year. Their "
                                "meetings are public and their agendas include questions put "
                                "forward by members and by residents of the neighbourhood. They "
                                "may invite councillors and heads of municipal departments to come "
                                "and present a matter or answer questions from the public."
                            ),
                        },
                        {
                            "key": "p25",
                            "fr": (
                                "Chaque conseil de quartier est présidé par un élu référent "
                                "désigné par le maire. Celui-ci prépare les séances avec les "
                                "services, en assure l’animation et fait le lien avec le conseil "
                                "municipal, devant lequel il rend compte une fois par an des "
                                "travaux du conseil de quartier."
                            ),
                            "en": (
                                "Each neighbourhood council is chaired by a lead councillor "
                                "appointed by the mayor. The lead councillor prepares meetings "
                                "with Town departments, chairs them and acts as the link with the "
                                "town council, to which they report once a year on the "
                                "neighbourhood council’s work."
                            ),
                        },
                        {
                            "key": "p26",
                            "fr": (
                                "Chaque conseil de quartier dispose d’un budget annuel de 15 000 "
                                "euros, qu’il affecte librement à des projets d’intérêt collectif "
                                "proposés par les habitants : petits aménagements, animations, "
                                "embellissement des espaces publics. La Ville réalise les projets "
                                "retenus dans l’année, sauf impossibilité technique ou juridique "
                                "dûment expliquée au conseil."
                            ),
                            "en": (
                                "Each neighbourhood council has an annual budget of 15,000 euros, "
                                "which it allocates freely to community projects proposed by "
                                "residents: small improvements, local events, brightening up "
                                "public spaces. The Town carries out the selected projects within "
                                "the year, unless a technical or legal obstacle prevents it, in "
                                "which case this is duly explained to the council."
                            ),
                        },
                    ],
                },
            ],
        },
        {
            "key": "s3",
            "title": {
                "fr": "Titre III – Engagements, initiative et suivi",
                "en": "Title III – Commitments, initiative and follow-up",
            },
            "articles": [
                {
                    "key": "a6",
                    "title": {"fr": "Les engagements de la Ville", "en": "The Town’s commitments"},
                    "paragraphs": [
                        {
                            "key": "p27",
                            "fr": (
                                "La Ville s’engage à lire et à examiner chacune des contributions "
                                "reçues, quelle que soit la forme sous laquelle elle a été déposée "
                                ": en ligne, sur un registre papier, par courrier ou oralement "
                                "lors d’une réunion. Toutes ont la même valeur. Les contributions "
                                "orales ou manuscrites sont retranscrites sur la plateforme afin "
                                "que chacun puisse en prendre connaissance."
                            ),
                            "en": (
                                "The Town undertakes to read and examine every contribution it "
                                "receives, whatever form it takes: online, in a paper register, by "
                                "post or spoken at a meeting. All carry the same weight. Spoken "
                                "and handwritten contributions are transcribed onto the platform "
                                "so that everyone can read them."
                            ),
                        },
                        {
                            "key": "p28",
                            "fr": (
                                "Chaque contribution reçoit une réponse motivée de la Ville dans "
                                "un délai raisonnable. La réponse indique si la proposition est "
                                "retenue, partiellement retenue ou écartée, et pour quelles "
                                "raisons. Les réponses sont publiées sur la plateforme, à la suite "
                                "des contributions auxquelles elles se rapportent."
                            ),
                            "en": (
                                "Each contribution receives a reasoned response from the Town "
                                "within a reasonable time. The response states whether the "
                                "proposal has been adopted, partly adopted or rejected, and why. "
                                "Responses are published on the platform, beneath the "
                                "contributions to which they relate."
                            ),
                        },
                        {
                            "key": "p29",
                            "fr": (
                                "À l’issue de chaque démarche, la Ville publie une synthèse des "
                                "contributions, rédigée de façon fidèle et équilibrée. Elle "
                                "présente les principales propositions, y compris celles qui sont "
                                "minoritaires ou critiques, et rend compte des points de consensus "
                                "comme des désaccords. Les participants peuvent signaler tout "
                                "oubli avant la publication de sa version définitive."
                            ),
                            "en": (
                                "At the end of each process, the Town publishes a summary of the "
                                "contributions, written faithfully and even-handedly. It presents "
                                "the main proposals, including minority or critical ones, and "
                                "reports points of consensus as well as disagreements. "
                                "Participants can point out anything that has been left out before "
                                "the final version is published."
                            ),
                        },
                        {
                            "key": "p30",
                            "fr": (
                                "Lorsque la décision est prise, la Ville explique publiquement ce "
                                "qui a changé grâce à la participation et à qui l’on doit ces "
                                "changements : un habitant, un conseil de quartier, une "
                                "association ou un atelier. Les contributeurs qui le souhaitent "
                                "sont cités nommément, les autres de manière anonyme. Ce « retour "
                                "aux participants » est systématique."
                            ),
                            "en": (
                                "When the decision is made, the Town explains publicly what has "
                                "changed as a result of participation and to whom these changes "
                                "are owed: a resident, a neighbourhood council, an association or "
                                "a workshop. Contributors who so wish are credited by name, others "
                                "anonymously. This “feedback to participants” is systematic."
                            ),
                        },
                        {
                            "key": "p31",
                            "fr": (
                                "La Ville consacre à la participation citoyenne des moyens humains "
                                "et financiers identifiés dans son budget. La Mission "
                                "participation citoyenne coordonne les démarches, conseille les "
                                "services et accueille les habitants à la Maison de la "
                                "participation. Elle est l’interlocutrice de toute personne qui "
                                "estime que la charte n’a pas été respectée."
                            ),
                            "en": (
                                "The Town devotes staff and funding to citizen participation, "
                                "shown as such in its budget. The Citizen participation unit "
                                "coordinates processes, advises departments and welcomes residents "
                                "at the Maison de la participation. It is the point of contact for "
                                "anyone who believes the charter has not been respected."
                            ),
                        },
                    ],
                },
                {
                    "key": "a7",
                    "title": {"fr": "L’initiative citoyenne", "en": "Citizen initiative"},
                    "paragraphs": [
                        {
                            "key": "p32",
                            "fr": (
                                "Les habitants peuvent prendre l’initiative : ils n’ont pas à "
                                "attendre que la Ville les consulte pour proposer un projet, "
                                "signaler un besoin ou demander l’ouverture d’une concertation. "
                                "Toute proposition adressée à la Mission participation citoyenne "
                                "reçoit un accusé de réception, puis une première réponse dans un "
                                "délai d’un mois."
                            ),
                            "en": (
                                "Residents can take the initiative: they do not have to wait for "
                                "the Town to consult them before proposing a project, flagging a "
                                "need or asking for a consultation to be opened. Every proposal "
                                "sent to the Citizen participation unit receives an "
                                "acknowledgement, then an initial response within one month."
                            ),
                        },
                        {
                            "key": "p33",
                            "fr": (
                                "Toute personne habitant la commune peut lancer une pétition "
                                "locale, sur la plateforme ou sur papier, à propos d’un sujet qui "
                                "relève des compétences de la Ville. Les signataires doivent "
                                "résider, travailler ou étudier à Saint-Aubin-des-Lavandes et être "
                                "âgés d’au moins seize ans. Une même personne ne peut signer "
                                "qu’une fois."
                            ),
                            "en": (
                                "Anyone living in the town may start a local petition, on the "
                                "platform or on paper, about a matter within the Town’s remit. "
                                "Signatories must live, work or study in Saint-Aubin-des-Lavandes "
                                "and be at least sixteen years old. Each person may sign only once."
                            ),
                        },
                        {
                            "key": "p34",
                            "fr": (
                                "Lorsqu’une pétition recueille au moins 1 000 signatures, soit "
                                "environ 5 % de la population, la question qu’elle soulève est "
                                "inscrite à l’ordre du jour d’une séance du conseil municipal dans "
                                "un délai de six mois. Le maire peut refuser cette inscription si "
                                "la question ne relève pas des compétences de la commune."
                            ),
                            "en": (
                                "When a petition gathers at least 1,000 signatures, or around 5% "
                                "of the population, the question it raises is placed on the agenda "
                                "of a town council meeting within six months. The mayor may refuse "
                                "to include it if the question does not fall within the "
                                "municipality’s remit."
                            ),
                        },
                        {
                            "key": "p35",
                            "fr": (
                                "Lors de la séance, un représentant des pétitionnaires présente la "
                                "demande pendant dix minutes, puis répond aux questions des élus. "
                                "Le conseil municipal débat publiquement de la proposition et fait "
                                "connaître sa position. La suite donnée à la pétition est publiée "
                                "sur la plateforme et communiquée à l’ensemble des signataires."
                            ),
                            "en": (
                                "At the meeting, a representative of the petitioners presents the "
                                "request for ten minutes and then answers councillors’ questions. "
                                "The town council debates the proposal in public and makes its "
                                "position known. The outcome of the petition is published on the "
                                "platform and communicated to all signatories."
                            ),
                        },
                        {
                            "key": "p36",
                            "fr": (
                                "Les habitants peuvent également proposer des projets "
                                "d’investissement d’intérêt général dans le cadre du budget "
                                "participatif. Chaque année, une enveloppe de 150 000 euros leur "
                                "est réservée : ils choisissent eux-mêmes, par un vote, les "
                                "projets à réaliser parmi ceux que les services ont jugés "
                                "techniquement faisables."
                            ),
                            "en": (
                                "Residents may also propose capital projects of general interest "
                                "as part of the participatory budget. Each year, 150,000 euros are "
                                "set aside for this purpose: residents themselves choose, by vote, "
                                "which projects to carry out from among those that Town "
                                "departments have judged technically feasible."
                            ),
                        },
                    ],
                },
                {
                    "key": "a8",
                    "title": {
                        "fr": "Évaluation et révision de la charte",
                        "en": "Evaluation and revision of the charter",
                    },
                    "paragraphs": [
                        {
                            "key": "p37",
                            "fr": (
                                "L’application de la charte fait l’objet d’un bilan annuel, "
                                "présenté en séance publique du conseil municipal puis débattu "
                                "lors d’une réunion ouverte à tous. Ce bilan recense les démarches "
                                "menées, le nombre et le profil des participants, les délais de "
                                "réponse observés et les décisions qui ont été modifiées grâce aux "
                                "contributions."
                            ),
                            "en": (
                                "The application of the charter is reviewed each year in a report "
                                "presented at a public meeting of the town council and then "
                                "discussed at a meeting open to all. The report lists the "
                                "processes carried out, the number and profile of participants, "
                                "the response times achieved and the decisions that were changed "
                                "as a result of contributions."
                            ),
                        },
                        {
                            "key": "p38",
                            "fr": (
                                "Un comité de suivi de la charte est constitué. Il réunit des "
                                "habitants tirés au sort, un représentant de chaque conseil de "
                                "quartier, des représentants associatifs, des agents et des élus "
                                "de la majorité comme de l’opposition. Il prépare le bilan annuel, "
                                "peut être saisi par tout habitant et adresse ses recommandations "
                                "à la municipalité."
                            ),
                            "en": (
                                "A charter monitoring committee is set up. It brings together "
                                "residents drawn by lot, one representative from each "
                                "neighbourhood council, representatives of associations, Town "
                                "staff and councillors from both the majority and the opposition. "
                                "It prepares the annual report, may be approached by any resident "
                                "and makes recommendations to the municipality."
                            ),
                        },
                        {
                            "key": "p39",
                            "fr": (
                                "La charte est révisée au moins tous les trois ans, ou plus tôt à "
                                "la demande du comité de suivi ou du conseil municipal. Sa "
                                "révision suit la même méthode que son élaboration : temps "
                                "d’écoute, rédaction partagée, concertation sur des versions "
                                "successives, puis adoption par le conseil municipal."
                            ),
                            "en": (
                                "The charter is revised at least every three years, or sooner at "
                                "the request of the monitoring committee or the town council. Its "
                                "revision follows the same method as its drafting: a listening "
                                "phase, shared drafting, consultation on successive versions, then "
                                "adoption by the town council."
                            ),
                        },
                        {
                            "key": "p40",
                            "fr": (
                                "La charte entre en vigueur dès son adoption par le conseil "
                                "municipal. Elle est publiée sur la plateforme, affichée dans tous "
                                "les équipements municipaux et remise à chaque nouvel habitant. "
                                "Une version « facile à lire et à comprendre » ainsi qu’une "
                                "version audio sont également disponibles."
                            ),
                            "en": (
                                "The charter comes into force as soon as it is adopted by the town "
                                "council. It is published on the platform, displayed in all "
                                "municipal buildings and given to every new resident. An "
                                "easy-to-read version and an audio version are also available."
                            ),
                        },
                    ],
                },
            ],
        },
    ],
}

# Iteration 2, written after the first consultation. Changes compared with V1:
# - reworded (same key, new text): p9 (plain language), p12 (young people, no minimum age),
#   p19 (evening and Saturday workshops in every neighbourhood), p20 (childcare),
#   p28 (two-month deadline for the Town's answers), p34 (lower petition threshold);
# - deleted: p5 (charter "not legally binding"), p25 (councils chaired by a councillor);
# - new: p41 (accessibility, article a2), p42 (co-chaired neighbourhood councils, a5),
#   p43 (public progress tracker, a6);
# - moved: p38 (monitoring committee) now opens article a8, before p37;
# - retitled: article a3 ("Les participants" -> "Une participation ouverte à toutes et à tous").
V2 = {
    "label": {"fr": "Version amendée", "en": "Amended version"},
    "summary": {
        "fr": (
            "Cette version amendée intègre les contributions recueillies lors de la première "
            "concertation : plus de 400 commentaires en ligne et six réunions de quartier. Délais "
            "de réponse précisés, ateliers en soirée dans chaque quartier, garde d’enfants, "
            "accessibilité, langage clair et place des jeunes : chaque modification découle des "
            "propositions des habitants et reste soumise à leur avis."
        ),
        "en": (
            "This amended version incorporates the contributions gathered during the first "
            "consultation: more than 400 online comments and six neighbourhood meetings. Clearer "
            "response deadlines, evening workshops in every neighbourhood, childcare, "
            "accessibility, plain language and the role of young people: every change stems from "
            "residents’ proposals and remains open to their comments."
        ),
    },
    "sections": [
        {
            "key": "s1",
            "title": {
                "fr": "Titre I – Principes et participants",
                "en": "Title I – Principles and participants",
            },
            "articles": [
                {
                    "key": "a1",
                    "title": {"fr": "Objet de la charte", "en": "Purpose of the charter"},
                    "paragraphs": [
                        {
                            "key": "p1",
                            "fr": (
                                "La présente charte définit la manière dont la Ville de "
                                "Saint-Aubin-des-Lavandes associe les habitants à l’élaboration "
                                "des décisions publiques locales. Elle fixe des règles communes, "
                                "connues de tous, que la municipalité s’engage à respecter chaque "
                                "fois qu’elle ouvre une démarche de participation, quels qu’en "
                                "soient le sujet ou l’ampleur."
                            ),
                            "en": (
                                "This charter sets out how the Town of Saint-Aubin-des-Lavandes "
                                "involves residents in shaping local public decisions. It lays "
                                "down common rules, known to all, which the municipality "
                                "undertakes to follow whenever it opens a participatory process, "
                                "whatever its subject or scale."
                            ),
                        },
                        {
                            "key": "p2",
                            "fr": (
                                "La participation citoyenne ne remplace pas la démocratie "
                                "représentative : le conseil municipal, élu au suffrage universel, "
                                "reste seul compétent pour délibérer. Elle l’enrichit en "
                                "permettant aux élus de décider en connaissance des besoins, des "
                                "savoirs et des avis de celles et ceux qui vivent, travaillent ou "
                                "étudient dans la commune."
                            ),
                            "en": (
                                "Citizen participation does not replace representative democracy: "
                                "the town council, elected by universal suffrage, alone has the "
                                "power to decide. Participation enriches it by enabling "
                                "councillors to decide with full knowledge of the needs, expertise "
                                "and views of those who live, work or study in the town."
                            ),
                        },
                        {
                            "key": "p3",
                            "fr": (
                                "La charte s’applique à tous les projets portés par la Ville qui "
                                "ont un effet sensible sur le cadre de vie : aménagement des "
                                "espaces publics, équipements, mobilités, services à la "
                                "population, grandes orientations budgétaires. Elle concerne aussi "
                                "bien les projets qui touchent l’ensemble de la commune que ceux "
                                "qui ne concernent qu’un seul quartier."
                            ),
                            "en": (
                                "The charter applies to all projects led by the Town that have a "
                                "noticeable effect on people’s surroundings and daily lives: the "
                                "design of public spaces, facilities, transport, public services "
                                "and major budget choices. It covers projects affecting the whole "
                                "town as well as those that concern a single neighbourhood."
                            ),
                        },
                        {
                            "key": "p4",
                            "fr": (
                                "Elle distingue trois niveaux d’association des habitants : "
                                "l’information, qui rend les projets compréhensibles ; la "
                                "consultation, qui recueille les avis avant la décision ; la "
                                "concertation, qui construit des propositions avec les "
                                "participants. Pour chaque démarche, la Ville annonce dès le "
                                "départ le niveau retenu et ce qui reste réellement ouvert à la "
                                "discussion."
                            ),
                            "en": (
                                "It distinguishes three levels of resident involvement: "
                                "information, which makes projects understandable; consultation, "
                                "which gathers views before a decision is taken; and co-design, "
                                "which builds proposals together with participants. For each "
                                "process, the Town states from the outset which level applies and "
                                "what genuinely remains open for discussion."
                            ),
                        },
                    ],
                },
                {
                    "key": "a2",
                    "title": {
                        "fr": "Les principes de la participation",
                        "en": "Principles of participation",
                    },
                    "paragraphs": [
                        {
                            "key": "p6",
                            "fr": (
                                "Transparence : les documents utiles à la compréhension d’un "
                                "projet – études, plans, coûts, calendrier, contraintes techniques "
                                "et juridiques – sont mis à la disposition de tous, en ligne et "
                                "sur papier, avant le début de chaque démarche. La Ville indique "
                                "également qui décidera, à quel moment et selon quels critères."
                            ),
                            "en": (
                                "Transparency: the documents needed to understand a project – "
                                "studies, plans, costs, timetable, technical and legal constraints "
                                "– are made available to all, online and on paper, before each "
                                "process begins. The Town also states who will decide, when, and "
                                "on what criteria."
                            ),
                        },
                        {
                            "key": "p7",
                            "fr": (
                                "Égalité : chaque participant reçoit la même considération, quels "
                                "que soient son statut, son niveau d’études ou son aisance à "
                                "l’oral. La Ville diversifie les moyens d’expression et va à la "
                                "rencontre des publics qui participent le moins, afin que les avis "
                                "recueillis reflètent la diversité réelle de la population."
                            ),
                            "en": (
                                "Equality: every participant is given the same consideration, "
                                "whatever their status, education or confidence in speaking. The "
                                "Town offers varied ways of taking part and reaches out to the "
                                "groups who participate least, so that the views gathered reflect "
                                "the real diversity of the population."
                            ),
                        },
                        {
                            "key": "p41",
                            "fr": (
                                "Accessibilité : toutes les réunions et tous les ateliers se "
                                "tiennent dans des lieux accessibles aux personnes à mobilité "
                                "réduite. Sur demande formulée une semaine à l’avance, la Ville "
                                "assure une interprétation en langue des signes française, un "
                                "sous-titrage en direct ou une boucle magnétique. Les documents "
                                "sont proposés dans des formats lisibles par les logiciels de "
                                "lecture d’écran."
                            ),
                            "en": (
                                "Accessibility: all meetings and workshops are held in venues that "
                                "are accessible to people with reduced mobility. On request made "
                                "one week in advance, the Town provides French Sign Language "
                                "interpreting, live captioning or a hearing loop. Documents are "
                                "made available in formats that screen-reading software can read."
                            ),
                        },
                        {
                            "key": "p8",
                            "fr": (
                                "Sincérité : la Ville ne consulte pas sur une décision déjà prise. "
                                "Elle s’engage à examiner chaque proposition avec sérieux et à "
                                "expliquer honnêtement pourquoi elle la retient, la modifie ou "
                                "l’écarte. Une réponse négative mais motivée vaut toujours mieux "
                                "qu’un silence."
                            ),
                            "en": (
                                "Sincerity: the Town does not consult on decisions that have "
                                "already been made. It undertakes to examine every proposal "
                                "seriously and to explain honestly why it adopts, modifies or "
                                "rejects it. A refusal that gives its reasons is always better "
                                "than silence."
                            ),
                        },
                        {
                            "key": "p9",
                            "fr": (
                                "Langage clair : tous les documents de participation sont rédigés "
                                "en langage clair, avec des phrases courtes, des mots courants et "
                                "aucun sigle sans explication. Une version « facile à lire et à "
                                "comprendre » accompagne les documents principaux, et chaque "
                                "dossier s’ouvre sur un résumé d’une page. Les agents de la Ville "
                                "sont formés à cette manière d’écrire."
                            ),
                            "en": (
                                "Plain language: all participation documents are written in plain "
                                "language, with short sentences, everyday words and no unexplained "
                                "acronyms. An easy-to-read version accompanies the main documents, "
                                "and every file opens with a one-page summary. Town staff are "
                                "trained in this way of writing."
                            ),
                        },
                        {
                            "key": "p10",
                            "fr": (
                                "Respect : les échanges se déroulent dans l’écoute et la "
                                "courtoisie. Chacun peut exprimer un désaccord, y compris avec la "
                                "municipalité, sans crainte et sans être interrompu. Les propos "
                                "injurieux, discriminatoires ou diffamatoires ne sont pas admis ; "
                                "les contributions en ligne qui en contiennent sont modérées selon "
                                "des règles publiées."
                            ),
                            "en": (
                                "Respect: discussions take place in a spirit of listening and "
                                "courtesy. Everyone may express disagreement, including with the "
                                "municipality, without fear and without being interrupted. "
                                "Insulting, discriminatory or defamatory remarks are not accepted; "
                                "online contributions containing them are moderated according to "
                                "published rules."
                            ),
                        },
                    ],
                },
                {
                    "key": "a3",
                    "title": {
                        "fr": "Une participation ouverte à toutes et à tous",
                        "en": "Participation open to everyone",
                    },
                    "paragraphs": [
                        {
                            "key": "p11",
                            "fr": (
                                "Toute personne qui habite Saint-Aubin-des-Lavandes peut "
                                "participer aux démarches prévues par la présente charte, quelle "
                                "que soit sa nationalité et qu’elle soit ou non inscrite sur les "
                                "listes électorales. Les personnes qui travaillent, étudient ou "
                                "exercent une activité bénévole dans la commune sont également les "
                                "bienvenues, en tant qu’usagers de la ville."
                            ),
                            "en": (
                                "Anyone who lives in Saint-Aubin-des-Lavandes may take part in the "
                                "processes provided for by this charter, whatever their "
                                "nationality and whether or not they are registered to vote. "
                                "People who work, study or volunteer in the town are also welcome, "
                                "as users of the town."
                            ),
                        },
                        {
                            "key": "p12",
                            "fr": (
                                "La participation n’a pas d’âge minimum. Les enfants et les jeunes "
                                "sont associés à tous les projets qui les concernent, et pas "
                                "seulement aux aires de jeux : ils sont consultés à l’école, au "
                                "collège, dans les accueils de loisirs et sur les lieux qu’ils "
                                "fréquentent. Un conseil des jeunes, ouvert aux 11-25 ans, peut "
                                "rendre un avis sur tout projet soumis à concertation."
                            ),
                            "en": (
                                "There is no minimum age for taking part. Children and young "
                                "people are involved in all the projects that concern them, not "
                                "just playgrounds: they are consulted at primary and secondary "
                                "school, in leisure centres and in the places where they spend "
                                "their time. A youth council, open to 11 to 25-year-olds, may give "
                                "its opinion on any project put out for consultation."
                            ),
                        },
                        {
                            "key": "p13",
                            "fr": (
                                "Les associations, les collectifs d’habitants, les commerçants, "
                                "les entreprises et les autres acteurs économiques de la commune "
                                "peuvent contribuer aux démarches. Ils s’expriment en leur nom "
                                "propre et indiquent clairement l’intérêt qu’ils représentent, "
                                "afin que leur contribution soit comprise et prise en compte à sa "
                                "juste place."
                            ),
                            "en": (
                                "Associations, residents’ groups, shopkeepers, businesses and "
                                "other economic players in the town may contribute to the "
                                "processes. They speak in their own name and state clearly the "
                                "interests they represent, so that their contribution is "
                                "understood and given its proper weight."
                            ),
                        },
                        {
                            "key": "p14",
                            "fr": (
                                "Les agents municipaux apportent leur expertise technique, "
                                "expliquent les contraintes des projets et animent les démarches. "
                                "Ils peuvent aussi participer à titre personnel lorsqu’ils "
                                "habitent la commune. La Ville les forme aux méthodes de "
                                "participation et reconnaît ce travail dans l’organisation des "
                                "services."
                            ),
                            "en": (
                                "Town staff contribute their technical expertise, explain the "
                                "constraints on projects and run participatory processes. They may "
                                "also take part in a personal capacity if they live in the town. "
                                "The Town trains them in participatory methods and recognises this "
                                "work in the way its departments are organised."
                            ),
                        },
                        {
                            "key": "p15",
                            "fr": (
                                "Les élus, de la majorité comme de l’opposition, sont invités à "
                                "toutes les réunions publiques. Ils y viennent d’abord pour "
                                "écouter : ils présentent les projets et les marges de manœuvre, "
                                "répondent aux questions, mais veillent à laisser la plus large "
                                "place à la parole des habitants et des conseils de quartier."
                            ),
                            "en": (
                                "Councillors, from both the majority and the opposition, are "
                                "invited to all public meetings. They come first and foremost to "
                                "listen: they present projects and the room for manoeuvre and "
                                "answer questions, but take care to leave as much room as possible "
                                "for residents and neighbourhood councils to speak."
                            ),
                        },
                    ],
                },
            ],
        },
        {
            "key": "s2",
            "title": {
                "fr": "Titre II – Les démarches de participation",
                "en": "Title II – How participation works",
            },
            "articles": [
                {
                    "key": "a4",
                    "title": {
                        "fr": "L’organisation des concertations",
                        "en": "How consultations are organised",
                    },
                    "paragraphs": [
                        {
                            "key": "p16",
                            "fr": (
                                "Chaque démarche de participation fait l’objet d’une fiche de "
                                "présentation publiée au moins trois semaines avant son lancement. "
                                "Celle-ci précise l’objet de la concertation, les questions posées "
                                "aux habitants, ce qui n’est pas négociable, le calendrier, les "
                                "modalités de participation et la date à laquelle la décision sera "
                                "prise."
                            ),
                            "en": (
                                "Each participatory process is described in a presentation sheet "
                                "published at least three weeks before it starts. The sheet "
                                "specifies the subject of the consultation, the questions put to "
                                "residents, what is not open to negotiation, the timetable, how to "
                                "take part and the date on which the decision will be taken."
                            ),
                        },
                        {
                            "key": "p17",
                            "fr": (
                                "La plateforme en ligne de la Ville permet de consulter les "
                                "documents, de déposer des contributions, de commenter celles des "
                                "autres et de suivre l’avancement de chaque projet. Pour les "
                                "personnes éloignées du numérique, des registres papier et un "
                                "accompagnement sont proposés à la Maison de la participation et à "
                                "la mairie annexe du Port."
                            ),
                            "en": (
                                "The Town’s online platform makes it possible to read the "
                                "documents, submit contributions, comment on those of others and "
                                "follow the progress of each project. For people who are not at "
                                "ease with digital tools, paper registers and one-to-one help are "
                                "available at the Maison de la participation and at the Le Port "
                                "local town hall office."
                            ),
                        },
                        {
                            "key": "p18",
                            "fr": (
                                "Les réunions publiques permettent de présenter un projet, d’en "
                                "débattre et de recueillir les réactions de la salle. Elles sont "
                                "annoncées au moins quinze jours à l’avance par voie d’affichage, "
                                "dans le magazine municipal et sur la plateforme. Un compte rendu "
                                "est publié dans le mois qui suit chaque réunion."
                            ),
                            "en": (
                                "Public meetings are used to present a project, debate it and "
                                "gather reactions from the audience. They are announced at least "
                                "two weeks in advance on notice boards, in the town magazine and "
                                "on the platform. Minutes are published within a month of each "
                                "meeting."
                            ),
                        },
                        {
                            "key": "p19",
                            "fr": (
                                "Des ateliers en petits groupes sont organisés pour approfondir "
                                "les questions les plus complexes. Pour chaque démarche, au moins "
                                "un atelier a lieu dans chacun des quatre quartiers, en soirée à "
                                "partir de 18 h 30 ou le samedi matin, afin que les personnes qui "
                                "travaillent puissent y prendre part. Des habitants tirés au sort "
                                "y sont invités aux côtés des volontaires."
                            ),
                            "en": (
                                "Small-group workshops are organised to explore the most complex "
                                "questions in depth. For each process, at least one workshop is "
                                "held in each of the four neighbourhoods, in the evening from 6.30 "
                                "pm or on a Saturday morning, so that people who work can take "
                                "part. Residents drawn by lot are invited alongside volunteers."
                            ),
                        },
                        {
                            "key": "p20",
                            "fr": (
                                "Pour lever les obstacles à la participation, un service gratuit "
                                "de garde d’enfants est proposé pendant les réunions publiques et "
                                "les ateliers, sur simple inscription jusqu’à la veille. Les "
                                "participants qui rencontrent d’autres difficultés – transport, "
                                "horaires de travail, maîtrise du français – peuvent le signaler à "
                                "la Mission participation citoyenne, qui recherche avec eux une "
                                "solution adaptée."
                            ),
                            "en": (
                                "To remove barriers to participation, free childcare is provided "
                                "during public meetings and workshops; parents simply need to sign "
                                "up by the day before. Participants who face other difficulties – "
                                "transport, working hours, command of French – can let the Citizen "
                                "participation unit know, and it will work with them to find a "
                                "suitable solution."
                            ),
                        },
                        {
                            "key": "p21",
                            "fr": (
                                "Une concertation dure au minimum six semaines, hors vacances "
                                "scolaires d’été. Ce délai peut être allongé pour les projets "
                                "importants, ou prolongé à la demande des participants lorsque les "
                                "échanges le justifient. Aucune démarche ne se clôt sans qu’une "
                                "date de restitution publique ait été annoncée."
                            ),
                            "en": (
                                "A consultation lasts at least six weeks, not counting the summer "
                                "school holidays. This period may be longer for major projects, or "
                                "extended at participants’ request when the discussions warrant "
                                "it. No process closes until a date has been announced for the "
                                "public feedback session."
                            ),
                        },
                    ],
                },
                {
                    "key": "a5",
                    "title": {"fr": "Les conseils de quartier", "en": "Neighbourhood councils"},
                    "paragraphs": [
                        {
                            "key": "p22",
                            "fr": (
                                "Un conseil de quartier est institué dans chacun des quatre "
                                "quartiers de la commune : Centre-bourg, Les Tilleuls, La Garenne "
                                "et Le Port. Lieu de dialogue entre habitants, élus et services, "
                                "il fait remonter les besoins du quartier, donne son avis sur les "
                                "projets qui le concernent et peut porter ses propres propositions."
                            ),
                            "en": (
                                "A neighbourhood council is set up in each of the town’s four "
                                "neighbourhoods: Centre-bourg, Les Tilleuls, La Garenne and Le "
                                "Port. As a forum for dialogue between residents, councillors and "
                                "staff, it passes on the neighbourhood’s needs, gives its opinion "
                                "on projects that affect it and may put forward its own proposals."
                            ),
                        },
                        {
                            "key": "p23",
                            "fr": (
                                "Chaque conseil comprend des habitants volontaires, des habitants "
                                "tirés au sort à partir des adresses du quartier, ainsi que des "
                                "représentants des associations et des commerçants. Le tirage au "
                                "sort garantit la parité entre femmes et hommes. Les membres sont "
                                "désignés pour deux ans, renouvelables une fois."
                            ),
                            "en": (
                                "Each council includes volunteer residents, residents drawn by lot "
                                "from the neighbourhood’s addresses, and representatives of local "
                                "associations and shopkeepers. The drawing of lots ensures an "
                                "equal number of women and men. Members are appointed for two "
                                "years, renewable once."
                            ),
                        },
                        {
                            "key": "p24",
                            "fr": (
                                "Les conseils de quartier se réunissent au moins quatre fois par "
                                "an. Leurs séances sont publiques et leur ordre du jour reprend "
                                "les questions proposées par les membres comme par les habitants "
                                "du quartier. Ils peuvent inviter les élus et les responsables des "
                                "services municipaux à venir présenter un dossier ou répondre aux "
                                "questions du public."
                            ),
                            "en": (
                                "Neighbourhood councils meet at least four times a year. Their "
                                "meetings are public and their agendas include questions put "
                                "forward by members and by residents of the neighbourhood. They "
                                "may invite councillors and heads of municipal departments to come "
                                "and present a matter or answer questions from the public."
                            ),
                        },
                        {
                            "key": "p42",
                            "fr": (
                                "Chaque conseil de quartier est coprésidé par un habitant élu par "
                                "ses membres et par un élu municipal référent. Les deux "
                                "coprésidents préparent ensemble l’ordre du jour et animent les "
                                "séances à tour de rôle. Une fois par an, ils présentent "
                                "conjointement le bilan du conseil de quartier devant le conseil "
                                "municipal."
                            ),
                            "en": (
                                "Each neighbourhood council is co-chaired by a resident elected by "
                                "its members and by a lead town councillor. The two co-chairs "
                                "prepare the agenda together and take turns chairing meetings. "
                                "Once a year, they jointly present the neighbourhood council’s "
                                "report to the town council."
                            ),
                        },
                        {
                            "key": "p26",
                            "fr": (
                                "Chaque conseil de quartier dispose d’un budget annuel de 15 000 "
                                "euros, qu’il affecte librement à des projets d’intérêt collectif "
                                "proposés par les habitants : petits aménagements, animations, "
                                "embellissement des espaces publics. La Ville réalise les projets "
                                "retenus dans l’année, sauf impossibilité technique ou juridique "
                                "dûment expliquée au conseil."
                            ),
                            "en": (
                                "Each neighbourhood council has an annual budget of 15,000 euros, "
                                "which it allocates freely to community projects proposed by "
                                "residents: small improvements, local events, brightening up "
                                "public spaces. The Town carries out the selected projects within "
                                "the year, unless a technical or legal obstacle prevents it, in "
                                "which case this is duly explained to the council."
                            ),
                        },
                    ],
                },
            ],
        },
        {
            "key": "s3",
            "title": {
                "fr": "Titre III – Engagements, initiative et suivi",
                "en": "Title III – Commitments, initiative and follow-up",
            },
            "articles": [
                {
                    "key": "a6",
                    "title": {"fr": "Les engagements de la Ville", "en": "The Town’s commitments"},
                    "paragraphs": [
                        {
                            "key": "p27",
                            "fr": (
                                "La Ville s’engage à lire et à examiner chacune des contributions "
                                "reçues, quelle que soit la forme sous laquelle elle a été déposée "
                                ": en ligne, sur un registre papier, par courrier ou oralement "
                                "lors d’une réunion. Toutes ont la même valeur. Les contributions "
                                "orales ou manuscrites sont retranscrites sur la plateforme afin "
                                "que chacun puisse en prendre connaissance."
                            ),
                            "en": (
                                "The Town undertakes to read and examine every contribution it "
                                "receives, whatever form it takes: online, in a paper register, by "
                                "post or spoken at a meeting. All carry the same weight. Spoken "
                                "and handwritten contributions are transcribed onto the platform "
                                "so that everyone can read them."
                            ),
                        },
                        {
                            "key": "p28",
                            "fr": (
                                "Chaque contribution reçoit une réponse motivée de la Ville dans "
                                "un délai de deux mois au plus après la clôture de la "
                                "concertation, et en tout état de cause avant la décision. La "
                                "réponse indique si la proposition est retenue, partiellement "
                                "retenue ou écartée, et pour quelles raisons. Si ce délai ne peut "
                                "être tenu, la Ville en informe les participants et fixe une "
                                "nouvelle date."
                            ),
                            "en": (
                                "Each contribution receives a reasoned response from the Town no "
                                "later than two months after the consultation closes, and in any "
                                "event before the decision is taken. The response states whether "
                                "the proposal has been adopted, partly adopted or rejected, and "
                                "why. If this deadline cannot be met, the Town informs "
                                "participants and sets a new date."
                            ),
                        },
                        {
                            "key": "p29",
                            "fr": (
                                "À l’issue de chaque démarche, la Ville publie une synthèse des "
                                "contributions, rédigée de façon fidèle et équilibrée. Elle "
                                "présente les principales propositions, y compris celles qui sont "
                                "minoritaires ou critiques, et rend compte des points de consensus "
                                "comme des désaccords. Les participants peuvent signaler tout "
                                "oubli avant la publication de sa version définitive."
                            ),
                            "en": (
                                "At the end of each process, the Town publishes a summary of the "
                                "contributions, written faithfully and even-handedly. It presents "
                                "the main proposals, including minority or critical ones, and "
                                "reports points of consensus as well as disagreements. "
                                "Participants can point out anything that has been left out before "
                                "the final version is published."
                            ),
                        },
                        {
                            "key": "p30",
                            "fr": (
                                "Lorsque la décision est prise, la Ville explique publiquement ce "
                                "qui a changé grâce à la participation et à qui l’on doit ces "
                                "changements : un habitant, un conseil de quartier, une "
                                "association ou un atelier. Les contributeurs qui le souhaitent "
                                "sont cités nommément, les autres de manière anonyme. Ce « retour "
                                "aux participants » est systématique."
                            ),
                            "en": (
                                "When the decision is made, the Town explains publicly what has "
                                "changed as a result of participation and to whom these changes "
                                "are owed: a resident, a neighbourhood council, an association or "
                                "a workshop. Contributors who so wish are credited by name, others "
                                "anonymously. This “feedback to participants” is systematic."
                            ),
                        },
                        {
                            "key": "p43",
                            "fr": (
                                "Un tableau de suivi, accessible à tous sur la plateforme et "
                                "affiché à la Maison de la participation, indique pour chaque "
                                "démarche son état d’avancement, le nombre de contributions "
                                "reçues, les réponses déjà apportées et celles qui restent en "
                                "attente. Il est mis à jour au moins une fois par mois."
                            ),
                            "en": (
                                "A progress tracker, open to all on the platform and displayed at "
                                "the Maison de la participation, shows for each process how far it "
                                "has got, the number of contributions received, the responses "
                                "already given and those still pending. It is updated at least "
                                "once a month."
                            ),
                        },
                        {
                            "key": "p31",
                            "fr": (
                                "La Ville consacre à la participation citoyenne des moyens humains "
                                "et financiers identifiés dans son budget. La Mission "
                                "participation citoyenne coordonne les démarches, conseille les "
                                "services et accueille les habitants à la Maison de la "
                                "participation. Elle est l’interlocutrice de toute personne qui "
                                "estime que la charte n’a pas été respectée."
                            ),
                            "en": (
                                "The Town devotes staff and funding to citizen participation, "
                                "shown as such in its budget. The Citizen participation unit "
                                "coordinates processes, advises departments and welcomes residents "
                                "at the Maison de la participation. It is the point of contact for "
                                "anyone who believes the charter has not been respected."
                            ),
                        },
                    ],
                },
                {
                    "key": "a7",
                    "title": {"fr": "L’initiative citoyenne", "en": "Citizen initiative"},
                    "paragraphs": [
                        {
                            "key": "p32",
                            "fr": (
                                "Les habitants peuvent prendre l’initiative : ils n’ont pas à "
                                "attendre que la Ville les consulte pour proposer un projet, "
                                "signaler un besoin ou demander l’ouverture d’une concertation. "
                                "Toute proposition adressée à la Mission participation citoyenne "
                                "reçoit un accusé de réception, puis une première réponse dans un "
                                "délai d’un mois."
                            ),
                            "en": (
                                "Residents can take the initiative: they do not have to wait for "
                                "the Town to consult them before proposing a project, flagging a "
                                "need or asking for a consultation to be opened. Every proposal "
                                "sent to the Citizen participation unit receives an "
                                "acknowledgement, then an initial response within one month."
                            ),
                        },
                        {
                            "key": "p33",
                            "fr": (
                                "Toute personne habitant la commune peut lancer une pétition "
                                "locale, sur la plateforme ou sur papier, à propos d’un sujet qui "
                                "relève des compétences de la Ville. Les signataires doivent "
                                "résider, travailler ou étudier à Saint-Aubin-des-Lavandes et être "
                                "âgés d’au moins seize ans. Une même personne ne peut signer "
                                "qu’une fois."
                            ),
                            "en": (
                                "Anyone living in the town may start a local petition, on the "
                                "platform or on paper, about a matter within the Town’s remit. "
                                "Signatories must live, work or study in Saint-Aubin-des-Lavandes "
                                "and be at least sixteen years old. Each person may sign only once."
                            ),
                        },
                        {
                            "key": "p34",
                            "fr": (
                                "Lorsqu’une pétition recueille au moins 600 signatures, la "
                                "question qu’elle soulève est inscrite à l’ordre du jour du "
                                "conseil municipal dans un délai de trois mois. L’inscription ne "
                                "peut être refusée que si la question ne relève pas des "
                                "compétences de la commune ; ce refus est alors motivé par écrit "
                                "et rendu public dans les quinze jours."
                            ),
                            "en": (
                                "When a petition gathers at least 600 signatures, the question it "
                                "raises is placed on the town council’s agenda within three "
                                "months. Inclusion may be refused only if the question falls "
                                "outside the municipality’s remit; any such refusal must be "
                                "explained in writing and made public within two weeks."
                            ),
                        },
                        {
                            "key": "p35",
                            "fr": (
                                "Lors de la séance, un représentant des pétitionnaires présente la "
                                "demande pendant dix minutes, puis répond aux questions des élus. "
                                "Le conseil municipal débat publiquement de la proposition et fait "
                                "connaître sa position. La suite donnée à la pétition est publiée "
                                "sur la plateforme et communiquée à l’ensemble des signataires."
                            ),
                            "en": (
                                "At the meeting, a representative of the petitioners presents the "
                                "request for ten minutes and then answers councillors’ questions. "
                                "The town council debates the proposal in public and makes its "
                                "position known. The outcome of the petition is published on the "
                                "platform and communicated to all signatories."
                            ),
                        },
                        {
                            "key": "p36",
                            "fr": (
                                "Les habitants peuvent également proposer des projets "
                                "d’investissement d’intérêt général dans le cadre du budget "
                                "participatif. Chaque année, une enveloppe de 150 000 euros leur "
                                "est réservée : ils choisissent eux-mêmes, par un vote, les "
                                "projets à réaliser parmi ceux que les services ont jugés "
                                "techniquement faisables."
                            ),
                            "en": (
                                "Residents may also propose capital projects of general interest "
                                "as part of the participatory budget. Each year, 150,000 euros are "
                                "set aside for this purpose: residents themselves choose, by vote, "
                                "which projects to carry out from among those that Town "
                                "departments have judged technically feasible."
                            ),
                        },
                    ],
                },
                {
                    "key": "a8",
                    "title": {
                        "fr": "Évaluation et révision de la charte",
                        "en": "Evaluation and revision of the charter",
                    },
                    "paragraphs": [
                        {
                            "key": "p38",
                            "fr": (
                                "Un comité de suivi de la charte est constitué. Il réunit des "
                                "habitants tirés au sort, un représentant de chaque conseil de "
                                "quartier, des représentants associatifs, des agents et des élus "
                                "de la majorité comme de l’opposition. Il prépare le bilan annuel, "
                                "peut être saisi par tout habitant et adresse ses recommandations "
                                "à la municipalité."
                            ),
                            "en": (
                                "A charter monitoring committee is set up. It brings together "
                                "residents drawn by lot, one representative from each "
                                "neighbourhood council, representatives of associations, Town "
                                "staff and councillors from both the majority and the opposition. "
                                "It prepares the annual report, may be approached by any resident "
                                "and makes recommendations to the municipality."
                            ),
                        },
                        {
                            "key": "p37",
                            "fr": (
                                "L’application de la charte fait l’objet d’un bilan annuel, "
                                "présenté en séance publique du conseil municipal puis débattu "
                                "lors d’une réunion ouverte à tous. Ce bilan recense les démarches "
                                "menées, le nombre et le profil des participants, les délais de "
                                "réponse observés et les décisions qui ont été modifiées grâce aux "
                                "contributions."
                            ),
                            "en": (
                                "The application of the charter is reviewed each year in a report "
                                "presented at a public meeting of the town council and then "
                                "discussed at a meeting open to all. The report lists the "
                                "processes carried out, the number and profile of participants, "
                                "the response times achieved and the decisions that were changed "
                                "as a result of contributions."
                            ),
                        },
                        {
                            "key": "p39",
                            "fr": (
                                "La charte est révisée au moins tous les trois ans, ou plus tôt à "
                                "la demande du comité de suivi ou du conseil municipal. Sa "
                                "révision suit la même méthode que son élaboration : temps "
                                "d’écoute, rédaction partagée, concertation sur des versions "
                                "successives, puis adoption par le conseil municipal."
                            ),
                            "en": (
                                "The charter is revised at least every three years, or sooner at "
                                "the request of the monitoring committee or the town council. Its "
                                "revision follows the same method as its drafting: a listening "
                                "phase, shared drafting, consultation on successive versions, then "
                                "adoption by the town council."
                            ),
                        },
                        {
                            "key": "p40",
                            "fr": (
                                "La charte entre en vigueur dès son adoption par le conseil "
                                "municipal. Elle est publiée sur la plateforme, affichée dans tous "
                                "les équipements municipaux et remise à chaque nouvel habitant. "
                                "Une version « facile à lire et à comprendre » ainsi qu’une "
                                "version audio sont également disponibles."
                            ),
                            "en": (
                                "The charter comes into force as soon as it is adopted by the town "
                                "council. It is published on the platform, displayed in all "
                                "municipal buildings and given to every new resident. An "
                                "easy-to-read version and an audio version are also available."
                            ),
                        },
                    ],
                },
            ],
        },
    ],
}

# Amendments proposed by residents during the first consultation (on V1), with the Town's
# answers. The accepted "modify" ones carry V2's wording of their paragraph: starting V2 applies
# them, and V2 shows where that wording came from. ``day`` is an offset from today, inside V1's
# window; ``supports`` are (account, position) pairs.
AMENDMENTS_V1 = [
    {
        "paragraph": "p19",
        "kind": "modify",
        "author": "tilleuls",
        "day": -70,
        "rationale": (
            "Des ateliers en journée à l’hôtel de ville excluent celles et ceux qui travaillent et "
            "les quartiers éloignés du centre. Nous demandons des ateliers dans chaque quartier, "
            "le soir ou le samedi matin."
        ),
        "supports": [("camille", "agree"), ("jules", "agree")],
        "status": "accepted",
        "response": (
            "Accepté. La Ville s’engage à tenir au moins un atelier par quartier pour chaque "
            "démarche, en soirée ou le samedi matin ; la nouvelle rédaction reprend la vôtre."
        ),
    },
    {
        "paragraph": "p12",
        "kind": "modify",
        "author": "jules",
        "day": -66,
        "rationale": (
            "Seize ans, c’est trop tard : les enfants ont des choses à dire sur leur école, leurs "
            "trajets et leurs loisirs, pas seulement sur les aires de jeux."
        ),
        "supports": [("camille", "agree"), ("tilleuls", "mixed")],
        "status": "accepted",
        "response": (
            "Accepté : la participation n’aura pas d’âge minimum, et un conseil des jeunes sera "
            "créé. La rédaction de la version 2 reprend votre proposition."
        ),
    },
    {
        "paragraph": "p27",
        "kind": "insert",
        "author": "camille",
        "day": -60,
        "text": (
            "Chaque réunion publique est retransmise en direct et reste consultable en ligne "
            "pendant toute la durée de la démarche."
        ),
        "rationale": "Pour celles et ceux qui ne peuvent pas se déplacer le soir.",
        "supports": [("jules", "mixed")],
        "status": "rejected",
        "response": (
            "Non retenu pour l’instant : la salle du conseil n’est pas équipée. Les comptes rendus "
            "seront publiés sous huit jours (article 6), et la question sera réexaminée au budget "
            "2028."
        ),
    },
]

# Amendments of the running consultation (on V2), awaiting the Town's answer.
AMENDMENTS_V2 = [
    {
        "paragraph": "p3",
        "kind": "modify",
        "author": "camille",
        "day": -3,
        "text": (
            "La charte s’applique à tous les projets portés par la Ville ou par ses partenaires "
            "qui ont un effet sensible sur le cadre de vie : aménagement des espaces publics, "
            "équipements, mobilités, services à la population, grandes orientations budgétaires."
        ),
        "rationale": (
            "Les projets menés par l’intercommunalité ou les bailleurs sociaux changent aussi "
            "notre quartier : ils doivent suivre les mêmes règles."
        ),
        "supports": [("jules", "agree"), ("tilleuls", "agree")],
    },
    {
        "paragraph": "p41",
        "kind": "insert",
        "author": "jules",
        "day": -2,
        "text": (
            "Un bilan annuel de la participation est présenté en conseil municipal et publié en "
            "ligne, avec la liste des propositions retenues et refusées."
        ),
        "rationale": "Pour vérifier chaque année que la charte est appliquée.",
        "supports": [("camille", "mixed")],
    },
]

# Comments of the running consultation (on V2): ``reply_to`` is the index of the comment
# answered in this list.
COMMENTS_V2 = [
    {
        "paragraph": "p12",
        "author": "camille",
        "day": -4,
        "text": (
            "Très bien que la participation des jeunes n’ait plus d’âge minimum. Il faudra "
            "des horaires compatibles avec le collège, le mercredi après-midi par exemple."
        ),
    },
    {
        "paragraph": "p12",
        "author": "tilleuls",
        "day": -3,
        "reply_to": 0,
        "text": (
            "Notre association peut accueillir les réunions du conseil des jeunes aux "
            "Tilleuls, la salle est libre le mercredi."
        ),
    },
    {
        "paragraph": "p19",
        "author": "jules",
        "day": -2,
        "text": (
            "Merci pour les ateliers dans les quartiers : La Garenne attendait ça depuis longtemps."
        ),
    },
]

# A debate of the listening phase: a question put to residents before the next version, with
# arguments on both sides. It concerns the article of paragraph p12 (the place of young people).
DEBATE = {
    "slug": {
        "fr": "jeunes-et-conseils-de-quartier",
        "en": "young-people-and-neighbourhood-councils",
    },
    "title": {
        "fr": "Les jeunes dans les conseils de quartier",
        "en": "Young people in neighbourhood councils",
    },
    "question": {
        "fr": "Quelle place pour les jeunes dans les conseils de quartier ?",
        "en": "What place for young people in neighbourhood councils?",
    },
    "context": {
        "fr": (
            "<p>Les quatre conseils de quartier réunissent aujourd’hui surtout des habitants de "
            "plus de cinquante ans. La Ville envisage de réserver des sièges aux 16-25 ans, ou "
            "d’ouvrir les conseils à tous les âges avec des horaires adaptés.</p><p>Avant "
            "d’écrire la prochaine version de l’article sur la participation des jeunes, nous "
            "voulons entendre les arguments des uns et des autres.</p>"
        ),
        "en": (
            "<p>The four neighbourhood councils today mostly bring together residents over fifty. "
            "The Town is considering reserving seats for 16 to 25-year-olds, or opening the "
            "councils to all ages with suitable meeting times.</p><p>Before writing the next "
            "version of the article on young people’s participation, we want to hear everyone’s "
            "arguments.</p>"
        ),
    },
    "opens": -10,
    "closes": 20,
    "article_of": "p12",
}

DEBATE_ARGUMENTS = [
    {
        "side": "for",
        "author": "camille",
        "day": -9,
        "title": "Des sièges réservés, sinon rien ne change",
        "text": (
            "Sans sièges réservés, les jeunes ne viendront pas : ils ne se reconnaissent pas "
            "dans des réunions où tout le monde a l’âge de leurs parents. Deux sièges sur douze "
            "suffiraient à changer le ton des discussions."
        ),
        "supports": ["tilleuls"],
    },
    {
        "side": "for",
        "author": "tilleuls",
        "day": -7,
        "title": "Les jeunes connaissent les sujets qui les touchent",
        "text": (
            "Le skatepark, les horaires des bus du soir, les salles pour répéter : les jeunes "
            "savent mieux que nous ce qui manque. Les associer au conseil, c’est gagner du temps "
            "sur les projets."
        ),
        "supports": ["camille"],
    },
    {
        "side": "against",
        "author": "jules",
        "day": -6,
        "title": "Des quotas qui divisent",
        "text": (
            "Réserver des sièges par âge revient à découper les habitants en catégories. Mieux "
            "vaut des réunions à des horaires où chacun peut venir, en semaine comme le samedi."
        ),
        "supports": [],
    },
    {
        "side": "against",
        "author": "camille",
        "day": -4,
        "title": "Le conseil des jeunes existe déjà",
        "text": (
            "Un conseil des jeunes est prévu par la charte. Lui donner un vrai pouvoir d’avis "
            "sur les projets de quartier serait plus simple que de modifier la composition des "
            "conseils de quartier."
        ),
        "supports": ["jules"],
    },
]

DEBATE_COMMENTS = [
    {
        "argument": 0,
        "author": "jules",
        "day": -8,
        "text": "Et comment choisir ces jeunes ? Par tirage au sort parmi les volontaires ?",
    },
    {
        "argument": 0,
        "author": "camille",
        "day": -8,
        "reply_to": 0,
        "text": "Oui, le tirage au sort me semble le plus juste.",
    },
]

DEBATE_POSITIONS = [("camille", "agree"), ("tilleuls", "agree"), ("jules", "mixed")]

# Comments of the first consultation (closed): what its synthesis counts, day by day.
COMMENTS_V1 = [
    {
        "paragraph": "p12",
        "author": "camille",
        "day": -72,
        "text": (
            "Seize ans, c’est tard : les collégiens ont aussi des choses à dire sur leur quartier."
        ),
    },
    {
        "paragraph": "p12",
        "author": "jules",
        "day": -71,
        "reply_to": 0,
        "text": "D’accord, à condition que les réunions ne tombent pas pendant les cours.",
    },
    {
        "paragraph": "p19",
        "author": "tilleuls",
        "day": -68,
        "text": "Les réunions à 18 h excluent ceux qui travaillent loin. Pourquoi pas le samedi ?",
    },
    {
        "paragraph": "p19",
        "author": "camille",
        "day": -60,
        "reply_to": 2,
        "text": "Le samedi matin, avec une garde d’enfants, ce serait idéal.",
    },
    {
        "paragraph": "p5",
        "author": "jules",
        "day": -55,
        "text": "Que se passe-t-il si la Ville ne répond pas dans le délai prévu ?",
    },
    {
        "paragraph": "p20",
        "author": "tilleuls",
        "day": -41,
        "text": (
            "Notre association peut prêter sa salle pour les ateliers du quartier des Tilleuls."
        ),
    },
]
