"""The source documents as passages (knowledge/ingest.py): reading, cleaning, labels.

The expected texts were copied by hand from knowledge/sources/documents and corrected as a
careful reader would (line breaks, cut words, headers, notes and OCR damage removed)."""

import re
from functools import lru_cache
from pathlib import Path
from typing import Dict, List, Optional, Text, Tuple

import pytest

from knowledge.ingest import (
    DOCUMENTS,
    DOCUMENTS_DIR,
    EMPTY_VOCABULARY,
    DocumentError,
    Passage,
    Vocabulary,
    document_code,
    document_path,
    dump,
    join_lines,
    keeps_hyphen,
    load_passages,
    parse_document,
    raw_repairs,
    read_document,
    repair_ocr,
    restore_a_grave,
)

CODES = ("000", "001", "002", "003", "004")
ROMAN_NOTES = (
    "i ii iii iv v vi vii viii ix x xi xii xiii xiv xv xvi xvii xviii xix xx xxi xxii xxiii "
    "xxiv xxv xxvi xxvii xxviii xxix xxx xxxi xxxii xxxiii xxxiv"
)


@lru_cache(maxsize=None)
def passages(code: Text) -> Tuple[Passage, ...]:
    return tuple(load_passages(code))


def by_label(code: Text) -> Dict[Text, Passage]:
    return {passage.paragraph: passage for passage in passages(code)}


def bodies(code: Text) -> List[Passage]:
    return [passage for passage in passages(code) if passage.kind == "body"]


def notes(code: Text) -> List[Passage]:
    return [passage for passage in passages(code) if passage.kind == "note"]


# --- Concrete passages ----------------------------------------------------------------------

S000_3 = (
    "Migrations de main-d’œuvre et développement: Enjeux et possibilités pour l’OIT dans le "
    "cadre du suivi du dialogue de haut niveau et de sa contribution au débat sur le "
    "développement pour l’après-2015"
)
S000_7 = "Evaluation judicieuse des besoins du marché du travail et reconnaissance des compétences"
S000_9 = (
    "Coopération et dialogue social en vue d’une bonne gestion des migrations de main-d’œuvre "
    "et de la mobilité"
)
S001_II = "II. Mise en œuvre du plan d’action"
S002_PROTECTION = "La protection peut faire des migrants des agents du développement"
S003_11 = "1.1 Effets de la migration internationale au niveau macro-économique"
S003_22 = (
    "2.2 Prévenir et combattre le trafic illicite de migrants et la traite des êtres humains, "
    "et prêter assistance aux victimes de la traite et aux migrants vulnérables"
)
S004_OIM = "OIM : Développement des partenariats de compétences à l’échelle mondiale"

# (code, label, section, text, notes referred to)
EXPECTED: List[Tuple[Text, Text, Optional[Text], Text, Tuple[Text, ...]]] = [
    (
        "000",
        "préambule ¶3",
        None,
        "Compte tenu des décisions prises par le Conseil d’administration à sa 316e session, en "
        "novembre 2012, à sa 317e session, en mars 2013, et à sa 319e session, en octobre 2013,",
        (),
    ),
    (
        "000",
        "1",
        "Considérations d’ordre général",
        "L’Agenda du travail décent de l’OIT s’avère essentiel pour promouvoir la gestion "
        "efficace des migrations de main-d’œuvre, protéger les droits des travailleurs migrants, "
        "promouvoir le dialogue social et les entreprises durables et répondre aux besoins du "
        "marché du travail. Les récents débats qui se sont tenus au niveau mondial sur les "
        "migrations et le développement ont affirmé l’importance des migrations de main-d’œuvre "
        "et de la mobilité de la main-d’œuvre, ainsi que des travailleurs migrants en tant "
        "qu’acteurs de l’innovation et du changement tendant à la réalisation des objectifs de "
        "développement.",
        (),
    ),
    (
        "000",
        "3",
        S000_3,
        "Dans le cadre du suivi du dialogue de haut niveau sur les migrations internationales et "
        "le développement tenu à l’Assemblée générale des Nations Unies, compte tenu en "
        "particulier de sa présidence, en 2014, du Groupe mondial sur la migration et à la "
        "lumière des discussions relatives au Programme de développement pour l’après-2015, "
        "l’OIT devrait:",
        (),
    ),
    (
        "000",
        "5(i)",
        "Protection effective des travailleurs migrants",
        "conformément aux résolutions de la Conférence internationale du Travail, inciter "
        "vivement les Etats Membres à envisager la ratification des conventions nos 97, 143 et "
        "189, et encourager l’application des recommandations qui les accompagnent; dispenser "
        "des conseils techniques aux Etats Membres qui souhaitent ratifier et/ou appliquer ces "
        "conventions;",
        (),
    ),
    (
        "000",
        "7(ii)",
        S000_7,
        "à leur demande, aider les gouvernements à renforcer leurs capacités d’entreprendre, en "
        "consultation avec les partenaires sociaux, une analyse du marché du travail et une "
        "évaluation des besoins concernant la politique relative aux migrations de main-d’œuvre, "
        "et à mettre au point des systèmes d’information sur le marché du travail;",
        (),
    ),
    (
        "000",
        "9(ii)",
        S000_9,
        "aider les gouvernements et les partenaires sociaux, à leur demande, grâce à des "
        "orientations pratiques fondées sur les normes internationales du travail et au "
        "renforcement des capacités, à élaborer, négocier et mettre effectivement en œuvre des "
        "accords bilatéraux ou autres accords internationaux sur les migrations de main-d’œuvre, "
        "en vue d’améliorer les résultats concrets pour les travailleurs migrants, les pays "
        "d’origine et les pays de destination et les entreprises durables;",
        (),
    ),
    (
        "000",
        "note 1",
        None,
        "Ces conclusions seront soumises au Conseil d’administration du BIT pour examen lors de "
        "sa session de mars 2014.",
        (),
    ),
    (
        "001",
        "5",
        S001_II + " › 1. Elaboration d’un cadre multilatéral non contraignant relatif à une "
        "approche de migrations de main-d’œuvre fondée sur les droits",
        "Le cadre multilatéral pour les migrations de main-d’œuvre a été examiné et adopté à "
        "l’occasion d’une réunion tripartite d’experts, qui s’est tenue du 31 octobre au 2 "
        "novembre 2005. Il consiste en un ensemble de principes et de lignes directrices non "
        "contraignants qui ont pour but d’aider les Etats Membres à élaborer des politiques plus "
        "efficaces en matière de migrations de main-d’œuvre. Le document comporte en annexe des "
        "exemples de pratiques optimales dans le domaine. Le Conseil d’administration, à sa "
        "session de mars 2006, a autorisé le Directeur général à publier le cadre multilatéral. "
        "La décision du Conseil d’administration s’accompagne d’une autorisation du Bureau à "
        "diffuser et à promouvoir ledit cadre.",
        (),
    ),
    (
        "001",
        "11",
        S001_II + " › 3. Mise en œuvre de l’Agenda global pour l’emploi",
        "Le Bureau a récemment passé en revue des bonnes pratiques relatives à la formation des "
        "travailleurs migrants et à la reconnaissance de leurs qualifications. Dans la région "
        "Asie-Pacifique, il met actuellement en œuvre un cadre stratégique régional pour le "
        "renforcement des compétences, qui reconnaît que la migration de la main-d’œuvre est un "
        "des principaux domaines à aborder. Le document de la Commission de l’emploi et de la "
        "politique sociale sur la transférabilité des compétences, présenté à la session du "
        "Conseil d’administration de mars 2007, traite également des travailleurs migrants. Les "
        "questions relatives à la migration des compétences seront également prises en compte "
        "dans le rapport que le Bureau établit en vue de la discussion générale sur les "
        "aptitudes professionnelles pour une meilleure productivité, la croissance de l’emploi "
        "et le développement qui aura lieu à la 97e session de la Conférence internationale du "
        "Travail (2008).",
        ("note 1",),
    ),
    (
        "001",
        "14",
        S001_II + " › 3. Mise en œuvre de l’Agenda global pour l’emploi",
        "Le BIT a prêté main-forte à un certain nombre de bureaux extérieurs pour l’élaboration "
        "de propositions de projet interinstitutionnel à soumettre au titre du volet thématique "
        "«jeunesse, emploi et migration» du Fonds (PNUD-Espagne) pour la réalisation des "
        "objectifs du Millénaire pour le développement sur la base d’une étroite coopération "
        "intersectorielle au sein du Bureau.",
        (),
    ),
    (
        "001",
        "29",
        S001_II + " › 5. Renforcement des capacités, sensibilisation et assistance technique",
        "Deux projets financés par l’Espagne ont porté sur le renforcement des capacités en "
        "Bolivie, en Colombie, en Equateur, au Pérou et au Sénégal. Le projet financé par "
        "l’Irlande sur les institutions en matière de migrations de main-d’œuvre et de lutte "
        "contre la traite, à l’intention de l’Albanie, de la République de Moldova et de "
        "l’Ukraine, est lui aussi très axé sur le renforcement des capacités.",
        (),
    ),
    (
        "001",
        "50",
        "III. Incidences financières du plan d’action",
        "Le Bureau répond à ces demandes selon une démarche intégrée en s’appuyant sur les "
        "ressources du budget ordinaire et les projets de coopération technique. Les ressources "
        "extrabudgétaires fournies par les donateurs multilatéraux et bilatéraux ont joué un "
        "rôle crucial dans la réalisation des objectifs du plan d’action. L’étroite "
        "collaboration avec les mandants et les partenariats avec d’autres parties prenantes ont "
        "renforcé les capacités du Bureau. Des ressources additionnelles permettraient au Bureau "
        "de répondre à davantage de demandes et d’affirmer le rôle et la position de "
        "l’Organisation dans les débats et les politiques relatives aux migrations de "
        "main-d’œuvre.",
        (),
    ),
    (
        "001",
        "note 1",
        S001_II + " › 3. Mise en œuvre de l’Agenda global pour l’emploi",
        "Document GB.298/ESP/3.",
        (),
    ),
    (
        "001",
        "note 2",
        S001_II + " › 5. Renforcement des capacités, sensibilisation et assistance technique",
        "www.ilo.org/migrant/equality",
        (),
    ),
    (
        "002",
        "Synthèse ¶1",
        "Synthèse",
        "La migration temporaire pour le travail peut être un instrument flexible et susceptible "
        "de palier aisément à la pénurie de main-d’œuvre dans les pays les plus riches, tout en "
        "diminuant la pression démographique et la pression du chômage dans les pays en "
        "développement, et en répartissant plus largement les bénéfices liés aux migrations. "
        "Elle permet aux migrants de rester en contact avec leur pays d’origine, et de revenir "
        "avec leurs économies et d’autres ressources, en particulier leurs compétences, dans "
        "leurs familles et leurs communautés d’origine. Lorsque la migration temporaire pour le "
        "travail est gérée avec soin, elle permet de réduire le coût social, humain et financier "
        "de la migration pour les migrants pauvres. Des conditions de travail décentes sont "
        "essentielles pour protéger les migrants et leur donner un pouvoir économique. Des "
        "politiques en faveur de l’égalité des sexes sont indispensables pour protéger et "
        "permettre aux femmes migrantes de s’assumer. Ces femmes contribuent de manière "
        "importante au bien-être des familles, des communautés, ainsi qu’aux économies "
        "nationales.",
        ("note i",),
    ),
    (
        "002",
        "Programmes unilatéraux ¶1",
        "Programmes unilatéraux d’admission pour le travail",
        "Une étude de l’OIT sur ses Etats membres en 2003 a révélé qu’il existait peu de "
        "programmes formels de migrations temporaires pour le travail, et que les programmes "
        "existants étaient souvent proposés dans les pays riches (OIT 2003). Les pays les moins "
        "développés, qui peuvent accueillir plus de migrants pour le travail que les pays "
        "développés, n’ont généralement pas de programmes pour les travailleurs temporaires "
        "étrangers.",
        ("note vii", "note viii"),
    ),
    (
        "002",
        "Accords bilatéraux ¶6",
        "Les accords bilatéraux en termes de travail",
        "1. Promouvoir les relations économiques et le développement (Nonnenmacher 2007). Les "
        "accords allemands en matière de travail avec les pays d’Europe Centrale et d’Europe de "
        "l’Est voisins sont également conçus pour faciliter l’entrée de ces pays dans l’UE. Des "
        "voies existent également pour les stagiaires originaires de pays en développement afin "
        "de se mettre à niveau ou de compléter leur formation à l’étranger. Le programme pour "
        "les travailleurs agricoles saisonnier entre le Mexique et le Canada sélectionne tout "
        "particulièrement des travailleurs de zones rurales en crise. Les migrants en tirent "
        "bénéfice grâce à de meilleures opportunités de travail et de meilleurs salaires que "
        "dans leurs communautés d’origine, à une plus importante participation des femmes (3% "
        "en 2002, contre 0% en 1974 au lancement de ce programme), plus de remise de fonds et "
        "d’investissements dans l’éducation des enfants des migrants (Verduzco et Lozano, "
        "2004). La Grèce a pu constater que ses accords avec l’Albanie, la Bulgarie et l’Egypte "
        "ont permis de favoriser une coopération économique, sociale et culturelle "
        "(contribution de la Grèce).",
        ("note xvi",),
    ),
    (
        "002",
        "Protection ¶4",
        S002_PROTECTION,
        "Le droit à une couverture sociale a été reconnu comme un droit humain essentiel, même "
        "si de nombreux pays n’ont toujours pas de systèmes de sécurité sociale nationaux. Si "
        "dans nombre de pays industrialisés il existe des couvertures médicales universelles "
        "pour les migrants, la plupart des migrants ne bénéficient pas de couvertures sociales à "
        "l’étranger ou pour leurs familles restées au pays. C’est en partie du au nombre "
        "important de migrants en situation irrégulière, qui ne bénéficient pas d’un accès "
        "légal aux services sociaux. Exceptionnellement, l’Espagne permet aux migrants "
        "irréguliers de s’inscrire à l’échelle locale pour obtenir une carte de santé leur "
        "donnant accès aux soins médicaux ; cela sert par ailleurs de base valable dans la "
        "perspective d’une éventuelle régularisation de leur statut. Certains pays accueillant "
        "des migrants, comme l’Argentine et l’Albanie, proposent gratuitement des traitements "
        "médicaux à tous les migrants. Plus généralement, des pays comme le Pakistan, les "
        "Philippines et le Sri Lanka ont mis en place des fonds sociaux, auxquels contribuent "
        "les migrants (25 dollars), qui leur offrent une protection à l’étranger et qui aident "
        "leurs familles restées au pays, au travers de prêts, d’aides juridiques, de pensions, "
        "de bourses d’étude. D’autres pays d’origine pourraient tirer des leçons de cette « "
        "bonne pratique ».",
        ("note xxiii", "note xxiv", "note xxv", "note xxvi"),
    ),
    (
        "002",
        "Leçon à tirer ¶4",
        "Leçon à tirer",
        "L’accès au marché du travail légal : - programmes d’admission non discriminatoires, "
        "transparents et efficaces en termes de coûts, incluant un accès équitable pour les "
        "femmes ; et l’information sur les options en termes de migrations légales, au travers "
        "par exemple des centres d’information pour les migrants.",
        (),
    ),
    (
        "002",
        "Pays d’origine ¶2",
        "Pays d’origine",
        "2. Lien institutionnel de planifications en termes de travail et de migrations - "
        "observatoires, comptes rendus stratégiques de missions à l’étranger.",
        (),
    ),
    (
        "002",
        "note v",
        "Introduction et contexte",
        "Voir aussi l’Agenda International de l’Initiative de Berne pour la Gestion de la "
        "Migration (International Agenda for Migration Management, IAMM): "
        "http://bfm.mit.ch/fileadmin/user_upload/Themen_deutsch/Internationales/"
        "The_Berne_Initiative/IAMM_F.pdf",
        (),
    ),
    (
        "002",
        "note xxix",
        "Retour/caractère temporaire",
        "Toutes ces catégories (postes spécialisés - H-1B, transferts au sein d’une même "
        "compagnie – L-1, travailleurs temporaires avec capacités/réalisations spéciales – O-1) "
        "ne requièrent pas la clause de non-permanence aux Etats-Unis pour que les candidats "
        "soient admissibles (Batalova, 2006).",
        (),
    ),
    (
        "003",
        "Introduction ¶1",
        None,
        "Les migrations internationales ne datent pas d’hier. En fait elles ont toujours "
        "existé. Aujourd’hui, mue par les forces de la mondialisation, par l’évolution "
        "démographique, les disparités persistantes en matière de revenus et d’opportunités, "
        "les conflits et les catastrophes naturelles, la migration revient au premier plan et "
        "apparaît comme l’un des traits déterminants de la vie économique, sociale et politique "
        "d’un monde caractérisé par la mobilité. Les effets de la migration sur les individus, "
        "les sociétés et les pays sont profonds et présentent de multiples facettes; bon nombre "
        "de ces effets sont directement ou indirectement liés au processus de développement.",
        (),
    ),
    (
        "003",
        "1.1.1",
        S003_11,
        "Migration et développement s’influencent mutuellement, et leurs effets peuvent être "
        "soit positifs soit négatifs: la migration peut être à la fois la cause et le résultat "
        "du sous-développement, tandis que le sous-développement peut être soit atténué soit "
        "aggravé par la migration. En conséquence, le phénomène migratoire ne peut pas être "
        "simplement défini comme un obstacle au développement ou comme une stratégie de "
        "développement. S’il existe, au niveau mondial, des preuves tangibles de l’influence "
        "positive qu’exerce la migration, les effets de la migration sur le développement dans "
        "les différents pays et communautés dépendent de l’environnement politique, social, "
        "juridique et économique dans lequel s’inscrit la migration, ainsi que du profil, des "
        "ressources et de l’attitude des migrants eux-mêmes.",
        ("note 1",),
    ),
    (
        "003",
        "2.2.11",
        S003_22 + " › Sensibilisation",
        "Un élément essentiel de la prévention du trafic illicite et de la traite est la "
        "fourniture d’informations aux victimes potentielles de la traite et aux migrants se "
        "trouvant dans les pays d’origine quant aux dangers de la traite et de la migration "
        "irrégulière. Les activités de sensibilisation produisent le plus d’effets lorsqu’elles "
        "ciblent des groupes spécifiques en faisant appel à différents médias et autres canaux. "
        "Par exemple, certaines des activités de sensibilisation de l’OIM dans le monde ciblent "
        "les étudiants à l’aide des manuels scolaires, de bandes dessinées, d’affiches, de "
        "sites Internet, de T-shirts ou encore de stations radio et de journaux s’adressant aux "
        "jeunes. Une stratégie complémentaire est l’éducation des consommateurs de services de "
        "personnes victimes de trafiquants quant au caractère préjudiciable de la traite, dans "
        "l’espoir que cette action réduira la demande de tels services. Même si l’on sait qu’il "
        "serait utile de disposer de témoignages supplémentaires de l’efficacité des campagnes "
        "d’information et des initiatives d’éducation à l’adresse des migrants potentiels, des "
        "victimes de la traite et des consommateurs, il existe des signes certains selon "
        "lesquels ces activités ont effectivement des effets positifs lorsqu’elles sont "
        "correctement ciblées.",
        (),
    ),
    (
        "003",
        "3.2.8",
        "3.2 Rapatriements de fonds › Renforcer l’impact des rapatriements de fonds sur le "
        "développement",
        "Des groupes de migrants (par exemple des associations de villes natales) peuvent être "
        "encouragés à verser des contributions collectives pour des initiatives de "
        "développement devant profiter aux communautés d’origine (telles que des écoles, des "
        "installations d’assainissement, des services de santé), sous la forme, entre autres, "
        "d’engagements de la part des gouvernements au niveau fédéral, des États et/ou des "
        "municipalités, à hauteur des sommes versées par les groupes de migrants.",
        ("note 18",),
    ),
    (
        "003",
        "3.3.1",
        "3.3 Rétention et circulation de compétences et de connaissances",
        "Comme cela a déjà été dit dans la section 3.1, la migration internationale se traduit "
        "souvent par un exode des personnes possédant des compétences considérables et/ou un bon "
        "niveau d’éducation, ce que l’on désigne habituellement par l’expression “exode des "
        "compétences”.",
        (),
    ),
    (
        "003",
        "4.1.1",
        "4.1 Renforcement de capacités",
        "En dépit des progrès de ces dix dernières années, peu de pays se sont dotés de "
        "politiques migratoires complètes ou des mécanismes devant leur permettre de les mettre "
        "au point et de les appliquer. Remédier à cette lacune suppose de reconnaître que la "
        "migration est un domaine intersectoriel et multidisciplinaire qui exige des efforts "
        "concertés et des investissements pour être géré efficacement. Une partie substantielle "
        "du budget de 1,1 milliard de dollars alloué pour les opérations de l’OIM en 2005 doit "
        "être consacrée au financement des programmes qui ont pour but d’aider les gouvernements "
        "à acquérir les capacités requises pour gérer les aspects de la migration présentant de "
        "multiples facettes, et ce par l’intermédiaire de plus de 280 bureaux extérieurs dans le "
        "monde.",
        ("note 28",),
    ),
    (
        "003",
        "Conclusion ¶1",
        None,
        "A mesure que l’on creuse la question des liens entre migration et développement telle "
        "qu’elle se pose aujourd’hui, on se trouve en présence d’un nombre impressionnant de "
        "défis et d’opportunités. Le présent document n’a pas la prétention de vouloir les "
        "traiter tous, mais il met l’accent sur la nécessité d’un investissement actif et "
        "concerté de la part de toutes les parties prenantes pour mettre la migration au "
        "service du développement. Cela suppose non seulement une volonté politique et des "
        "moyens, mais aussi l’engagement de veiller à gérer vraiment les migrations, ce qui "
        "passe par l’acquisition des capacités requises. En conclusion, l’OIM aimerait faire "
        "passer trois messages généraux qui font ressortir les traits communs à de nombreux "
        "thèmes évoqués dans les pages précédentes:",
        (),
    ),
    (
        "003",
        "note 10",
        S003_22 + " › Coopération entre parties prenantes multiples",
        "Les instruments juridiques existants qui présentent un intérêt dans ce domaine sont "
        "notamment la Convention des Nations Unies contre la criminalité transnationale "
        "organisée et ses protocoles additionnels sur le trafic illicite et la traite, à savoir "
        "les “traités essentiels sur les droits de l’homme”, la Convention de 2005 du Conseil "
        "de l’Europe sur la lutte contre la traite des êtres humains, et la Décision-cadre du "
        "Conseil de l’Union européenne 2002/629/JHA du 19 juillet 2002 relative à la lutte "
        "contre la traite des êtres humains.",
        (),
    ),
    (
        "003",
        "note 15",
        "3.1 Migration de main-d’œuvre › Migration de main-d’œuvre saisonnière et à court terme",
        "Winters, L.A., Walmsley, T.L., Wang, Z.K., Grynberg, R.: Negotiating the Liberalisation "
        "of the Temporary Movement of Natural Persons, document de travail 87, Département "
        "d’économie, Université du Sussex 2002, disponible sur "
        "http://www.sussex.ac.uk/Units/economics/dp/Wintersetal87.pdf.",
        (),
    ),
    (
        "003",
        "note b",
        "2.1 Mesures visant à assurer le respect et la protection des droits humains de tous les "
        "migrants",
        "Protocole additionnel à la Convention des Nations Unies contre la criminalité "
        "transnationale organisée visant à prévenir, réprimer et punir la traite des personnes, "
        "en particulier des femmes et des enfants, et Protocole contre le trafic illicite de "
        "migrants par terre, air et mer, additionnel à la Convention des Nations Unies contre "
        "la criminalité transnationale organisée (2000).",
        (),
    ),
    (
        "004",
        "1",
        "Introduction",
        "Dans le contexte actuel, caractérisé par la mondialisation du marché du travail, une "
        "mobilité de la main-d’œuvre croissante, la compétition pour les talents, "
        "l’adaptabilité des marchés et l’apprentissage tout au long de la vie, la migration "
        "fondée sur les compétences — c’est-à-dire la migration de travailleurs qualifiés dans "
        "le but de trouver un emploi correspondant à leur niveau de compétences dans le pays de "
        "destination — requiert une coopération entre toutes les parties prenantes — Etats, "
        "employeurs, établissements d’enseignement et communautés — et la participation active "
        "des travailleurs migrants. De même, l’évolution des modalités d’emploi, les exigences "
        "en matière de compétences, la numérisation et le développement des possibilités de "
        "mobilité exigent de veiller à ce que cette coopération profite à tous, sans "
        "discrimination. A cette fin, des cadres politiques nationaux et régionaux sont "
        "adoptés, qui sont fondés sur une approche plus systématique de la corrélation entre la "
        "migration, les compétences et la formation, en mettant l’accent sur les talents, la "
        "mobilité des étudiants et des travailleurs qualifiés, et une concurrence moins "
        "inégalitaire.",
        (),
    ),
    (
        "004",
        "10",
        "Défis",
        "Les partenariats pour la mobilité des compétences pâtissent d’une planification et "
        "d’une vision politiques à court terme. Le secteur privé, par exemple, a tendance à se "
        "préoccuper des besoins immédiats et n’est pas toujours prêt à investir dans des "
        "compétences futures. Les établissements d’enseignement n’ont pas de plans "
        "stratégiques. La révision des programmes de formation et d’enseignement prend du "
        "temps, est soumise à d’interminables procédures de certification, et n’est souvent "
        "pas en phase avec les besoins du marché du travail et les structures d’emploi "
        "actuels. Les gouvernements peuvent être préoccupés uniquement par des considérations "
        "à court terme et ne pas relier les partenariats à l’élaboration de politiques de "
        "travail et de migration. Souvent, les besoins, les pénuries et l’offre des différents "
        "secteurs et du marché du travail ne font pas l’objet d’une analyse prospective, claire "
        "et fiable permettant d’aboutir à une planification ou à des politiques à long terme.",
        (),
    ),
    (
        "004",
        "12",
        "Défis",
        "Il arrive que l’impact des PMC sur le pays d’origine soit relativement faible, ce qui "
        "peut être dû au fait que les travailleurs formés n’y trouvent pas d’emploi ou, s’ils en "
        "trouvent, qu’ils sont bien moins payés. Dans ces cas, la plupart d’entre eux décident "
        "de migrer, au détriment du marché du travail national. De même, les migrants désireux "
        "de rentrer au pays risquent de ne pas gagner autant que dans le pays de destination "
        "ou, pire encore, de ne pas trouver d’emploi correspondant à leurs qualifications et à "
        "leur expérience. Cette situation peut décourager le retour ou entraîner une "
        "réémigration, dont les effets sur le marché du travail et l’économie du pays d’origine "
        "sont similaires.",
        (),
    ),
    (
        "004",
        "15",
        "Expérience de l’OIM",
        "L’OIM possède une vaste expérience de l’aide aux Etats, fournie seule ou en "
        "coopération avec ses partenaires, en matière de gestion concertée de la mobilité "
        "fondée sur les compétences et de renforcement des capacités dans le domaine des "
        "compétences et de la mobilité. Elle s’est activement employée, au sein des processus "
        "consultatifs régionaux, notamment le Processus de Colombo, à faciliter des "
        "consultations et la coopération, à analyser les systèmes de reconnaissance des "
        "compétences le long des couloirs de migration, et à cartographier les procédures "
        "d’évaluation des compétences, les normes de certification et les équivalences, les "
        "tendances du marché du travail et les systèmes de collecte de données.",
        ("note 1",),
    ),
    (
        "004",
        "24",
        S004_OIM,
        "Approche multipartite et cohérence des politiques: Il est fondamental que les PMC "
        "reposent sur une approche multipartite, même si les parties prenantes varieront selon "
        "le cas. La vaste coopération que suppose une telle approche a des avantages qu’il est "
        "difficile de surestimer, au premier rang desquels se trouve la prise en compte de tous "
        "les aspects des PMC, qui sont des mécanismes complexes. Elle permet aussi de mieux "
        "connaître la situation à l’échelle nationale et régionale, les couloirs de migration "
        "existants et les tendances qui influent sur les politiques et les lois, de garantir "
        "les droits des travailleurs migrants et leur accès à la protection, et de faire en "
        "sorte que les communautés d’origine et de destination, les Etats et le secteur privé "
        "profitent tous des partenariats. Les gouvernements et les établissements "
        "d’enseignement et de formation doivent coopérer étroitement avec le secteur privé pour "
        "garantir la pertinence de la formation et du perfectionnement des compétences "
        "proposés. A l’échelle nationale et interétatique, la priorité doit être donnée à la "
        "cohérence des politiques, par exemple dans les domaines suivants : migration, "
        "éducation et coopération connexe (aux fins de reconnaissance des diplômes, de "
        "coopération interinstitutionnelle, de programmes d’échange d’étudiants, etc.), emploi "
        "et création d’emplois, entrepreneuriat, commerce et investissement. Une cartographie "
        "de tous ces éléments sera peut-être nécessaire afin de renforcer leurs articulations et "
        "les synergies.",
        (),
    ),
    (
        "004",
        "30",
        S004_OIM,
        "Réduction et partage des coûts: Les coûts relatifs à la mobilité et à la formation des "
        "travailleurs doivent être répartis équitablement entre toutes les parties prenantes "
        "bénéficiaires. Quand la formation a lieu dans le pays d’origine, les coûts moins "
        "élevés ne dispensent pas les autres parties prenantes, telles que les autres Etats "
        "bénéficiaires, les employeurs, les investisseurs et les bénéficiaires finals, de "
        "contribuer au financement. Pour cela, il faudra procéder à une analyse minutieuse, par "
        "exemple des acteurs du secteur privé intervenant dans les chaînes "
        "d’approvisionnement.",
        (),
    ),
    (
        "004",
        "note 1",
        "Expérience de l’OIM",
        "Processus consultatif régional sur l’emploi outre-mer et la main-d’œuvre contractuelle "
        "pour les pays d’origine en Asie.",
        (),
    ),
]


@pytest.mark.parametrize(
    "code,label,section,text,referred",
    EXPECTED,
    ids=[f"{code}-{label}" for code, label, *_ in EXPECTED],
)
def test_passage_text_label_and_section(
    code: Text, label: Text, section: Optional[Text], text: Text, referred: Tuple[Text, ...]
) -> None:
    passage = by_label(code).get(label)
    assert passage is not None, f"{code}: no passage {label!r}"
    assert passage.text == text
    assert passage.section == section
    assert passage.kind == ("note" if label.startswith("note ") else "body")
    assert passage.notes == referred


def test_every_document_has_at_least_four_checked_passages() -> None:
    for code in CODES:
        assert sum(1 for expected in EXPECTED if expected[0] == code) >= 4


# --- Structure ----------------------------------------------------------------------------


@pytest.mark.parametrize("code", CODES)
def test_positions_follow_the_document_and_labels_are_unique(code: Text) -> None:
    found = passages(code)
    assert [passage.position for passage in found] == list(range(len(found)))
    labels = [passage.paragraph for passage in found]
    assert len(labels) == len(set(labels))
    assert all(passage.kind in ("body", "note") for passage in found)
    assert all(passage.text and len(passage.paragraph) <= 80 for passage in found)


def test_001_numbers_its_paragraphs_1_to_50() -> None:
    assert [passage.paragraph for passage in bodies("001")] == [str(n) for n in range(1, 51)]


def test_004_numbers_its_paragraphs_1_to_31_even_the_one_written_24_comma() -> None:
    assert [passage.paragraph for passage in bodies("004")] == [str(n) for n in range(1, 32)]
    assert by_label("004")["24"].text.startswith("Approche multipartite")


def test_000_has_paragraphs_1_to_9_with_their_roman_sub_items() -> None:
    labels = [passage.paragraph for passage in bodies("000")]
    numbered = [label for label in labels if not label.startswith("préambule")]
    assert sorted({int(re.match(r"\d+", label).group(0)) for label in numbered}) == list(
        range(1, 10)
    )
    assert [label for label in labels if label.startswith("préambule")] == [
        f"préambule ¶{n}" for n in range(1, 8)
    ]
    sub_items = {
        paragraph: [label for label in numbered if label.startswith(f"{paragraph}(")]
        for paragraph in range(1, 10)
    }
    assert len(sub_items[2]) == 3 and len(sub_items[3]) == 7 and len(sub_items[5]) == 10
    assert len(sub_items[7]) == 7 and len(sub_items[9]) == 5
    assert sub_items[5][-1] == "5(x)"
    assert not sub_items[1] and not sub_items[4] and not sub_items[6] and not sub_items[8]


def test_003_labels_are_section_and_running_number() -> None:
    labels = [passage.paragraph for passage in bodies("003")]
    assert all(
        re.fullmatch(r"\d\.\d\.\d+|(Introduction|Conclusion) ¶\d", label) for label in labels
    )
    assert labels[:4] == ["Introduction ¶1", "Introduction ¶2", "Introduction ¶3", "1.1.1"]
    assert labels[-5:] == [f"Conclusion ¶{n}" for n in range(1, 6)]
    sections = {re.match(r"\d\.\d", label).group(0) for label in labels if label[0].isdigit()}
    assert sections == set("1.1 1.2 2.1 2.2 3.1 3.2 3.3 3.4 3.5 4.1 4.2 4.3 4.4".split())


def test_002_labels_are_short_heading_and_running_number() -> None:
    labels = [passage.paragraph for passage in bodies("002")]
    assert labels[:5] == [f"Synthèse ¶{n}" for n in range(1, 5)] + ["Introduction ¶1"]
    assert [label for label in labels if label.startswith("Pays d’origine")] == [
        f"Pays d’origine ¶{n}" for n in range(1, 15)
    ]
    assert all(re.fullmatch(r"[^¶]+ ¶\d+", label) for label in labels)


@pytest.mark.parametrize(
    "code,labels",
    [
        ("000", ["note 1"]),
        ("001", ["note 1", "note 2"]),
        (
            "002",
            [f"note {numeral}" for numeral in ROMAN_NOTES.split()],
        ),
        ("003", [f"note {n}" for n in range(1, 34)] + [f"note {x}" for x in "abcd"]),
        ("004", ["note 1"]),
    ],
)
def test_notes_are_separated_and_referred_to(code: Text, labels: List[Text]) -> None:
    found = notes(code)
    assert sorted(passage.paragraph for passage in found) == sorted(labels)
    referred = [label for passage in bodies(code) for label in passage.notes]
    # Every note is referred to once, except 000's, whose marker is on the title.
    assert sorted(referred) == sorted(label for label in labels if code != "000")
    for note in found:
        for body in bodies(code):
            assert note.text[:60] not in body.text


def test_a_footnote_is_not_glued_into_the_paragraph_it_interrupts() -> None:
    assert "GB.298/ESP/3" not in by_label("001")["14"].text
    assert "www.ilo.org/migrant/equality" not in by_label("001")["29"].text
    assert "traités essentiels" not in by_label("003")["2.2.11"].text
    assert "Ces conclusions seront soumises" not in by_label("000")["1"].text
    assert "Processus consultatif régional" not in by_label("004")["20"].text
    assert by_label("004")["20"].text.endswith("de l’économie informelle vers la formalité.")


# --- Cleaning -----------------------------------------------------------------------------

ARTEFACTS = [
    r"GB301_4_",
    r"\bGB\.301/4\b",
    r"TTMLM-2013-14",
    r"ORGANISATION INTERNATIONALE DU TRAVAIL",
    r"S/25/5",
    r"\bPage \d",
    r"ceuvre",
    r"cceur",
    r"\bI['’]",
    r"\|",
    r"\ufffd",
    r"•",
    r"\d \b(?:e|er|os|o)\b (?:session|\d)",  # a superscript left on its own
    r"\bn (?:os|o) \d",
    r"\s{2,}",
    r"[\n\r\t]",
    r" [,.](?:\s|$)",
    r"[a-zà-ÿ]- [a-zà-ÿ]",  # a word cut at a line end and not joined
]


@pytest.mark.parametrize("code", CODES)
def test_no_passage_keeps_extraction_artefacts(code: Text) -> None:
    for passage in passages(code):
        for artefact in ARTEFACTS:
            match = re.search(artefact, passage.text)
            assert not match, f"{code} {passage.paragraph}: {artefact!r} in …{passage.text}…"
        if passage.section:
            assert not re.search(r"\ufffd|\bI['’]|\s{2,}|\n", passage.section)


# 002's endnote markers as the extraction glued them to the text.
GLUED_MARKERS = [
    "travaili",
    "2007)ii.",
    "2006)iii .",
    "2006)iv.",
    "développementv.",
    "migrationvi.",
    "2003)vii.",
    "développésviii ,",
    "permanentix,",
    "ansx.",
    "qualifiéesxi.",
    "d’âgexii.",
    "Guatemala.xiii",
    "saisonniersxiv.",
    "typexv.",
    "2004)xvi.",
    "2007)xvii.",
    "respectivement)xviii .",
    "servicesxix",
    "limitéxx.",
    "2007)xxi.",
    "d’expulsionxxii.",
    "essentielxxiii ,",
    "nationauxxxiv.",
    "paysxxv.",
    "pratique »xxvi.",
    "migratoiresxxvii.",
    "migrantsxxviii .",
    "Etats-Unisxxix,",
    "2005)xxx.",
    "2006)xxxi.",
    "libérauxxxxii.",
    "pratiquesxxxiii .",
    "arabexxxiv.",
]


def test_002_endnote_markers_are_removed_from_the_text() -> None:
    raw = " ".join(read_document(document_path("002")).split())
    body = " ".join(passage.text for passage in bodies("002"))
    everything = " ".join(passage.text for passage in passages("002"))
    for marker in GLUED_MARKERS:
        assert marker in raw, marker
        pattern = r"(?<![^\W\d_])" + re.escape(marker).replace(r"\ ", " ?")
        assert not re.search(pattern, body), marker
    for word in ("travail", "ans", "développés", "nationaux", "libéraux", "arabe"):
        assert re.search(rf"\b{word}\b", body), word
    # Real words that end like a roman numeral are left alone.
    for word in ("lui", "aussi", "ainsi", "parmi", "deux", "six"):
        assert everything.count(f" {word} ") == raw.count(f" {word} "), word
    assert raw.count(" deux ") > 3 and raw.count(" ainsi ") > 3


def test_003_note_markers_are_removed_and_real_numbers_kept() -> None:
    texts = by_label("003")
    assert "en plusieurs langues afin de guider" in texts["2.1.4"].text
    assert "main-d’œuvre peut atténuer" in texts["2.2.12"].text
    assert "s’en trouvera renforcée" in texts["1.1.4"].text  # "trouvera" is not "trouver" + a
    assert "de 3 % de la place" in texts["3.1.9"].text
    assert "156 milliards de dollars É.-U. par an. Ce sont" in texts["3.1.9"].text
    assert "les droits de l’homme apportent" in texts["2.1.3"].text
    assert texts["2.1.3"].notes == ("note 4", "note a", "note b", "note c")


def test_004_ocr_damage_is_repaired() -> None:
    text = " ".join(passage.text for passage in passages("004"))
    for damaged in (
        "d'ceuvre",
        "d’ceuvre",
        "I'OIM",
        "I’'OIM",
        "matiere",
        "matiére",
        "méme",
        "étre",
        "c’est-a-dire",
        " 3 ce que",
        " & tous",
        "systémes",
        "colts",
        "s(res",
        "d@",
        " lls ",
        " gue ",
        "'",
    ):
        assert damaged not in text, damaged
    for repaired in ("main-d’œuvre", "l’OIM", "matière", "même", "être", "c’est-à-dire"):
        assert repaired in text, repaired
    assert "veiller à ce que cette coopération profite à tous" in text
    assert "Pacte mondial pour des migrations sûres, ordonnées et régulières" in text


def test_004_every_remaining_a_is_the_verb() -> None:
    contexts = set()
    for passage in passages("004"):
        for match in re.finditer(r"(\S+) a (\S+)", passage.text):
            contexts.add((match.group(1), match.group(2)))
    assert contexts == {
        ("exemple,", "tendance"),
        ("compétences", "lieu"),
        ("elle", "réuni"),
        ("exercice", "débouché"),
        ("l’OIM", "institué"),
        ("y", "lieu,"),
        ("approche", "des"),
        ("formation", "lieu"),
        ("situation", "amené"),
    }


@pytest.mark.parametrize(
    "left,right,joined",
    [
        ("la migration revient au pre-", "mier plan", "la migration revient au premier plan"),
        ("les effets sur le déve-", "loppement", "les effets sur le développement"),
        ("les migrations de main-", "d’œuvre", "les migrations de main-d’œuvre"),
        (
            "à l’intérieur des pays comme au-",
            "delà des frontières",
            "à l’intérieur des pays comme au-delà des frontières",
        ),
        ("les difficultés, c’est-à-", "dire les", "les difficultés, c’est-à-dire les"),
        ("aux Etats-", "Unis", "aux Etats-Unis"),
        ("pour la période 2014-", "15.", "pour la période 2014-15."),
        ("et notamment la non-", "discrimination", "et notamment la non-discrimination"),
        (
            "auxquels elle participe d’ailleurs elle-",
            "même",
            "auxquels elle participe d’ailleurs elle-même",
        ),
        ("et notamment les flux trans-", "frontaliers", "et notamment les flux transfrontaliers"),
        (
            "compétences considérables et/",
            "ou un bon niveau",
            "compétences considérables et/ou un bon niveau",
        ),
        ("les migrations de main-", "", "les migrations de main-"),
    ],
)
def test_words_cut_at_a_line_end_are_joined_and_real_hyphens_kept(
    left: Text, right: Text, joined: Text
) -> None:
    assert join_lines([left, right]) == joined


def test_a_hyphenated_word_the_document_writes_elsewhere_keeps_its_hyphen() -> None:
    vocabulary = Vocabulary.of("l’échange d’information inter-agences\nsur la co-gestion")
    assert keeps_hyphen("inter", "agences", vocabulary)
    assert not keeps_hyphen("inter", "nationales", Vocabulary.of("internationales"))
    assert keeps_hyphen("co", "gestion", vocabulary)
    # A word the document writes joined loses the hyphen even after a compound prefix.
    assert not keeps_hyphen("co", "opération", Vocabulary.of("la coopération"))
    assert keeps_hyphen("co", "opération", EMPTY_VOCABULARY)


def test_superscripts_on_their_own_lines_are_joined() -> None:
    assert raw_repairs("à sa 316\ne\n session, en") == "à sa 316e session, en"
    assert raw_repairs("à sa 319\n\ne\n session") == "à sa 319e session"
    assert raw_repairs("des conventions n\nos\n\n 97, 143") == "des conventions nos 97, 143"
    assert raw_repairs("la convention (n\no\n 181) sur") == "la convention (no 181) sur"
    assert raw_repairs("dp/\nWintersetal.pdf") == "dp/\nWintersetal.pdf"
    assert raw_repairs("http://www.iom.int/dp/\nWinters.pdf") == "http://www.iom.int/dp/Winters.pdf"


@pytest.mark.parametrize(
    "damaged,repaired",
    [
        ("la main-d'ceuvre", "la main-d’œuvre"),
        ("la main-d’ceuvre", "la main-d’œuvre"),
        ("mettre en ceuvre", "mettre en œuvre"),
        ("au cceur de", "au cœur de"),
        ("Expérience de I’'OIM", "Expérience de l’OIM"),
        ("avec I'OIM", "avec l’OIM"),
        ("de I’OIM", "de l’OIM"),
        ("De méme, |'évolution", "De même, l’évolution"),
        ("concernant |’établissement", "concernant l’établissement"),
        ("et I'apprentissage", "et l’apprentissage"),
        ("en matiere de", "en matière de"),
        ("c’est-a-dire la", "c’est-à-dire la"),
        ("de veiller 3 ce que", "de veiller à ce que"),
        ("profite & tous", "profite à tous"),
        ("correspondant a leur niveau", "correspondant à leur niveau"),
        ("nécessaires a une bonne", "nécessaires à une bonne"),
        ("de tous niveaux, a des partenariats", "de tous niveaux, à des partenariats"),
        ("recourir a la", "recourir à la"),
        ("grâce a des", "grâce à des"),
        (
            "Souvent, l'échec est di a l'incompatibilité",
            "Souvent, l’échec est dû à l’incompatibilité",
        ),
        ("Il a des", "Il a des"),
        ("qui a été", "qui a été"),
        ("elle a réuni", "elle a réuni"),
        ("on a vu", "on a vu"),
        ("S'il y a lieu", "S’il y a lieu"),
        ("la formation a lieu", "la formation a lieu"),
        ("une telle approche a des avantages", "une telle approche a des avantages"),
        ("Cette situation a amené I'OIM a proposer", "Cette situation a amené l’OIM à proposer"),
        ("des migrations s(res", "des migrations sûres"),
    ],
)
def test_ocr_repair(damaged: Text, repaired: Text) -> None:
    assert repair_ocr(damaged) == repaired


def test_restore_a_grave_leaves_other_documents_words_alone() -> None:
    assert restore_a_grave("il a la charge") == "il a la charge"
    assert restore_a_grave("à la demande") == "à la demande"


def test_003_opening_sentence_and_lost_eights_are_restored() -> None:
    texts = by_label("003")
    assert texts["Introduction ¶1"].text.startswith("Les migrations internationales ne datent")
    assert not any(
        passage.text == "Les migrations internationales ne datent pas d’hier."
        for passage in passages("003")
    )
    assert "(IDM No. 8), OIM, 2005." in texts["note 25"].text
    assert texts["note 8"].text.startswith("Protocole contre le trafic illicite de migrants")


# --- Reading ------------------------------------------------------------------------------


def test_read_document_returns_the_text() -> None:
    text = read_document(document_path("001"))
    assert text.startswith("\nBUREAU INTERNATIONAL DU TRAVAIL GB.301/4")


def test_read_document_refuses_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(DocumentError, match=r"005_missing\.txt: no such file"):
        read_document(tmp_path / "005_missing.txt")


@pytest.mark.parametrize("content", [b"", b"  \n\t\n  \r\n"])
def test_read_document_refuses_an_empty_file(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "005_empty.txt"
    path.write_bytes(content)
    with pytest.raises(DocumentError, match=r"005_empty\.txt: empty"):
        read_document(path)


def test_read_document_refuses_a_binary_file(tmp_path: Path) -> None:
    path = tmp_path / "005_image.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" * 20)
    with pytest.raises(DocumentError, match=r"005_image\.txt: binary"):
        read_document(path)


def test_read_document_refuses_mostly_control_characters(tmp_path: Path) -> None:
    path = tmp_path / "005_controls.txt"
    path.write_bytes(bytes(range(1, 32)) * 10 + b"texte")
    with pytest.raises(DocumentError, match="binary"):
        read_document(path)


def test_read_document_refuses_latin_1_and_says_where(tmp_path: Path) -> None:
    path = tmp_path / "005_latin1.txt"
    path.write_bytes("1. Réunion technique".encode("latin-1"))
    with pytest.raises(DocumentError, match=r"005_latin1\.txt: not valid UTF-8 .*offset 4"):
        read_document(path)


def test_document_code() -> None:
    assert document_code(Path("001_1f701b8efe1d1d64.txt")) == "001"
    assert document_code(DOCUMENTS_DIR / "004_395a6f5b537a53d6.txt") == "004"
    for name in ("README.md", "01_x.txt", "001-x.txt", "x001_y.txt"):
        with pytest.raises(DocumentError, match="3-digit code"):
            document_code(Path(name))


def test_every_document_file_has_its_metadata() -> None:
    codes = sorted(document_code(path) for path in DOCUMENTS_DIR.glob("*.txt"))
    assert codes == list(CODES) == sorted(DOCUMENTS)
    for code, info in DOCUMENTS.items():
        assert info.code == code and info.language == "fr"
        assert info.publisher in ("ILO", "IOM", "GFMD")
        assert info.title and info.reference and len(info.short) <= 200
    assert DOCUMENTS["001"].short == "ILO, GB.301/4, 2008"
    assert "TTMLM/2013/14" in DOCUMENTS["000"].reference


# --- Parsing errors and dump --------------------------------------------------------------


@pytest.mark.parametrize(
    "code,text",
    [
        ("001", "GB301_4_[2008-02-0030-01]-Fr.doc/v.2 1\n\nGB.301/4\n\nUn texte sans numéro.\n"),
        ("004", "S/25/5\nPage 6\n\nIntroduction\n\nDu texte, mais aucun paragraphe numéroté.\n"),
        ("002", "  \n\n \n"),
        ("003", "4\n\n\n9\n"),
        ("999", ""),
    ],
)
def test_a_document_with_no_recognisable_paragraph_is_refused(code: Text, text: Text) -> None:
    with pytest.raises(DocumentError, match=code):
        parse_document(code, text)


def test_a_lost_paragraph_number_does_not_swallow_the_next_paragraphs() -> None:
    found = parse_document("001", "1. Un.\n\n3. Trois, qui cite le\n2. Deux.\n\n4. Quatre.\n")
    assert [(passage.paragraph, passage.text) for passage in found] == [
        ("1", "Un."),
        ("3", "Trois, qui cite le 2. Deux."),
        ("4", "Quatre."),
    ]
    found = parse_document("001", "I. Contexte\n\nL’OIT a pour mission.\n\n2. Deux.\n")
    assert [(passage.paragraph, passage.section) for passage in found] == [
        ("préambule ¶1", None),
        ("2", "I. Contexte"),
    ]


def test_dump_shows_labels_sections_and_text() -> None:
    text = dump("001")
    assert text.startswith("001 — Mise en œuvre du plan d’action de l’OIT")
    assert "§ 21  —  II. Mise en œuvre du plan d’action › 4. Protection sociale" in text
    assert "§ note 1 [note]" in text
    assert "    Document GB.298/ESP/3." in text
