"""A small biosafety glossary (English, Spanish, French) so that texts in different languages can be
compared without a translation model: each word is reduced to a light stem and mapped to one English
concept. Written for CapacityHub from the terminology of the Cartagena Protocol; extend freely.

``concept_tokens(text)`` is the analyzer of the word vectors (see ``similarity.py``)."""

import re
import unicodedata

# concept: variants in Spanish and French (accents are removed before lookup; stems as produced by stem()).
CONCEPTS = {
    "biosafety": "bioseguridad biosecurite biosurete prevention",
    "biotechnology": "biotecnologia biotechnologie",
    "risk": "riesgo risque",
    "assessment": "evaluacion evaluation analisi analyse assessing",
    "management": "gestion manejo",
    "detection": "deteccion detecter detectar detect",
    "identification": "identificacion identifier identificar",
    "laboratory": "laboratorio laboratoire lab",
    "training": "capacitacion formacion formation entrenamiento train",
    "capacity": "capacidad capacite capacitie",
    "strengthening": "fortalecimiento renforcement fortalecer renforcer strengthen",
    "building": "creacion construccion",
    "national": "nacional nationale",
    "regional": "regionale",
    "subregional": "subregionale",
    "framework": "marco cadre",
    "regulatory": "regulatorio reglementaire normativo",
    "public": "publico publique",
    "awareness": "sensibilizacion sensibilisation concienciacion",
    "participation": "participacion",
    "education": "educacion",
    "customs": "aduana douane aduanero douanier",
    "border": "frontera frontiere fronterizo",
    "official": "funcionario fonctionnaire agent",
    "regulator": "regulador regulateur",
    "authority": "autoridad autorite",
    "competent": "competente",
    "information": "informacion",
    "exchange": "intercambio echange",
    "clearinghouse": "clearing",
    "genetically": "geneticamente genetiquement",
    "modified": "modificado modifie",
    "organism": "organismo organisme",
    "living": "vivo vivant",
    "lmo": "ovm ogm gmo",
    "socioeconomic": "socioeconomico socioeconomique socio",
    "consideration": "consideracion",
    "liability": "responsabilidad responsabilite",
    "redress": "compensacion reparation",
    "research": "investigacion recherche",
    "health": "salud sante",
    "human": "humano humaine humain",
    "documentation": "documentacion",
    "requirement": "requisito exigence",
    "transboundary": "transfronterizo transfrontiere transfrontalier",
    "movement": "movimiento mouvement",
    "illegal": "ilegal illicite",
    "unintentional": "involuntario involontaire",
    "confidential": "confidencial confidentiel",
    "technology": "tecnologia technologie",
    "transfer": "transferencia transfert",
    "collaboration": "colaboracion cooperacion cooperation",
    "institutional": "institucional institutionnel",
    "institution": "institucion",
    "legislation": "legislacion ley loi",
    "policy": "politica politique",
    "mainstreaming": "integracion integration incorporacion",
    "development": "desarrollo developpement",
    "plan": "planes",
    "project": "proyecto projet",
    "programme": "programa program",
    "support": "apoyo appui soutien",
    "implementation": "implementacion aplicacion ejecucion application execution mise oeuvre",
    "network": "red reseau",
    "expert": "experto",
    "workshop": "taller atelier",
    "course": "curso cour",
    "curriculum": "curricula estudio etude",
    "university": "universidad universite",
    "postgraduate": "posgrado troisieme cycle",
    "guideline": "directriz directrice guia guide",
    "monitoring": "monitoreo seguimiento vigilancia suivi surveillance",
    "inspection": "inspeccion",
    "enforcement": "cumplimiento",
    "sampling": "muestreo echantillonnage",
    "testing": "ensayo prueba essai",
    "analysis": "analisis",
    "seed": "semilla semence",
    "crop": "cultivo culture",
    "maize": "maiz mais",
    "cotton": "algodon coton",
    "cassava": "yuca manioc",
    "rice": "arroz riz",
    "banana": "banano banane",
    "soybean": "soya soja",
    "sorghum": "sorgo sorgho",
    "cowpea": "caupi niebe",
    "eggplant": "berenjena aubergine",
    "potato": "papa pomme terre",
    "wheat": "trigo ble",
    "papaya": "papaye",
    "sugarcane": "cana canne",
    "mosquito": "mosquito moustique",
    "salmon": "saumon",
    "judge": "juez juge",
    "journalist": "periodista",
    "researcher": "investigador chercheur",
    "farmer": "agricultor agriculteur",
    "teacher": "docente enseignant profesor",
    "inspector": "inspecteur",
    "technician": "tecnico technicien",
    "parliamentarian": "parlamentario parlementaire",
    "extension": "extensionista vulgarisateur",
    "student": "estudiante etudiant",
    "manual": "manuel",
    "toolkit": "herramienta outil",
    "simulation": "simulacro",
    "mentoring": "mentoria tutorat",
    "helpdesk": "assistance",
    "visit": "visita visite",
    "tour": "gira voyage",
    "field": "campo terrain champ",
    "environment": "ambiente environnement medio",
    "biodiversity": "biodiversidad biodiversite",
    "decision": "decision",
    "making": "toma prise",
    "country": "pais pay",
    "government": "gobierno gouvernement",
    "ministry": "ministerio ministere",
    "agriculture": "agricultura",
    "food": "alimento alimentaire alimentos",
    "safety": "inocuidad securite",
    "communication": "comunicacion",
    "stakeholder": "parte interesado actor acteur",
    "database": "base dato donnee",
    "website": "sitio web portal portail",
    "law": "derecho droit",
    "protocol": "protocolo protocole",
    "cartagena": "cartagena",
}

_ACCENTS = re.compile(r"[\u0300-\u036f]")
TOKEN = re.compile(r"[^\W\d_]{3,}")


def strip_accents(text):
    return _ACCENTS.sub("", unicodedata.normalize("NFKD", text))


def stem(word):
    """A light stem shared by English, Spanish and French: plural endings and a final feminine or silent
    "e" after n, r, l or d removed (guidelines → guidelin, reguladores → regulador, nationale → national)."""
    if len(word) > 4 and word.endswith(("s", "x")):
        word = word[:-1]
    if len(word) > 5 and word.endswith("e") and word[-2] in "nrld":
        word = word[:-1]
    return word


def _build():
    mapping = {}
    for concept, variants in CONCEPTS.items():
        for variant in [concept, *variants.split()]:
            mapping[stem(variant)] = concept
    return mapping


LOOKUP = _build()


_MEMO = {}


def _concept(word, stop_words):
    key = (word, id(stop_words))
    found = _MEMO.get(key)
    if found is None:
        found = "" if word in stop_words else LOOKUP.get(stem(word), stem(word))
        if len(_MEMO) < 2_000_000:
            _MEMO[key] = found
    return found


def concept_tokens(text, stop_words=frozenset()):
    """Lower-cased, accent-free, stemmed words mapped to glossary concepts, without stop words."""
    words = TOKEN.findall(strip_accents(text.lower()))
    return [c for c in (_concept(word, stop_words) for word in words) if c]
