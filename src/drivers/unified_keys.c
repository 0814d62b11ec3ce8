/*
 * unified_keys.c - keyword tables (EN, DE, FR, ES) behind unified keys, option keys, EEO
 * detection, placeholder options, closed-job and thank-you pages.
 *
 * Principle: only say something when confident. Every table entry is a whole-word phrase in
 * normalised form (see uk_norm); generic words ("name", "nom", "nombre") are marked weak so a
 * specific field name can overrule them, and words that turn a person attribute into someone
 * else's ("company name", "reference email", "confirm email") veto the key.
 */
#include "drivers/unified_keys.h"

#include <ctype.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"

/* ---- normalisation ---------------------------------------------------------------------- */

/* Base letters of U+00C0..U+00FF; '#' marks the ones handled specially, ' ' separators. */
static const char LATIN1[65] = "aaaaaa#ceeeeiiiidnooooo ouuuuy##"
                               "aaaaaa#ceeeeiiiidnooooo ouuuuy#y";
/* Base letters of U+0100..U+017F; '#' marks the ligatures (IJ, OE). */
static const char LATIN_EXT_A[129] = "aaaaaaccccccccdd"
                                     "ddeeeeeeeeeegggg"
                                     "gggghhhhiiiiiiii"
                                     "ii##jjkkklllllll"
                                     "lllnnnnnnnnnoooo"
                                     "oo##rrrrrrssssss"
                                     "ssttttttuuuuuuuu"
                                     "uuuuwwyyyzzzzzzs";

static void put(char *o, size_t *j, const char *s)
{
    while (*s)
        o[(*j)++] = *s++;
}

char *uk_norm(const char *s)
{
    if (!s)
        return xstrdup("");
    size_t n = strlen(s);
    /* Worst case: every byte becomes two letters ("ß" is 2 bytes -> "ss", ASCII 1 -> 1). */
    char *o = xmalloc(2 * n + 2);
    size_t j = 0;
    bool space = true; /* suppress leading spaces */
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        char tmp[4] = {0};
        size_t adv = 1;
        if (c < 0x80) {
            if (isalnum(c))
                tmp[0] = (char)tolower(c);
        } else if ((c == 0xC3 || c == 0xC4 || c == 0xC5) && i + 1 < n &&
                   ((unsigned char)s[i + 1] & 0xC0) == 0x80) {
            unsigned cp = ((c & 0x1Fu) << 6) | ((unsigned char)s[i + 1] & 0x3Fu);
            adv = 2;
            if (cp >= 0xC0 && cp <= 0xFF) {
                char b = LATIN1[cp - 0xC0];
                if (cp == 0xC6 || cp == 0xE6)
                    memcpy(tmp, "ae", 2);
                else if (cp == 0xDE || cp == 0xFE)
                    memcpy(tmp, "th", 2);
                else if (cp == 0xDF)
                    memcpy(tmp, "ss", 2);
                else if (b != ' ')
                    tmp[0] = b;
            } else if (cp >= 0x100 && cp <= 0x17F) {
                char b = LATIN_EXT_A[cp - 0x100];
                if (cp == 0x152 || cp == 0x153)
                    memcpy(tmp, "oe", 2);
                else if (cp >= 0x132 && cp <= 0x133)
                    memcpy(tmp, "ij", 2);
                else
                    tmp[0] = b;
            }
        } else {
            /* Any other sequence: skip it whole and treat it as a separator. */
            size_t k = 1;
            while (i + k < n && k < 4 && ((unsigned char)s[i + k] & 0xC0) == 0x80)
                k++;
            adv = k;
        }
        i += adv;
        if (tmp[0]) {
            if (space && j > 0)
                o[j++] = ' ';
            space = false;
            put(o, &j, tmp);
        } else {
            space = true;
        }
    }
    o[j] = '\0';
    return o;
}

char *uk_name_words(const char *name)
{
    if (!name)
        return xstrdup("");
    size_t n = strlen(name);
    char *t = xmalloc(2 * n + 1);
    size_t j = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)name[i];
        if (i > 0) {
            unsigned char p = (unsigned char)name[i - 1];
            bool camel = isupper(c) && islower(p);
            bool digit = (isdigit(c) && isalpha(p)) || (isalpha(c) && isdigit(p));
            if (camel || digit)
                t[j++] = ' ';
        }
        t[j++] = (char)c;
    }
    t[j] = '\0';
    char *o = uk_norm(t);
    free(t);
    return o;
}

bool uk_has_phrase(const char *norm, const char *phrase)
{
    if (!norm || !phrase || !*phrase)
        return false;
    size_t plen = strlen(phrase);
    bool prefix = phrase[plen - 1] == '*';
    if (prefix)
        plen--;
    if (plen == 0)
        return false;
    for (const char *q = norm; *q; q++) {
        if (*q != phrase[0] || strncmp(q, phrase, plen) != 0)
            continue;
        bool left = q == norm || q[-1] == ' ';
        char after = q[plen];
        bool right = prefix || after == '\0' || after == ' ';
        if (left && right)
            return true;
    }
    return false;
}

static bool has_any(const char *norm, const char *const *phrases)
{
    for (size_t i = 0; phrases[i]; i++)
        if (uk_has_phrase(norm, phrases[i]))
            return true;
    return false;
}

static const char *first_of(const char *norm, const char *const *phrases)
{
    for (size_t i = 0; phrases[i]; i++)
        if (uk_has_phrase(norm, phrases[i]))
            return phrases[i];
    return NULL;
}

/* True when the whole normalised text is one of the phrases. */
static bool is_one_of(const char *norm, const char *const *phrases)
{
    for (size_t i = 0; phrases[i]; i++)
        if (strcmp(norm, phrases[i]) == 0)
            return true;
    return false;
}

size_t uk_word_count(const char *norm)
{
    size_t n = 0;
    bool in = false;
    for (const char *p = norm; p && *p; p++) {
        if (*p == ' ')
            in = false;
        else if (!in) {
            in = true;
            n++;
        }
    }
    return n;
}

/* ---- autocomplete ----------------------------------------------------------------------- */

static const struct {
    const char *token;
    const char *key;
} AUTOCOMPLETE[] = {
    {"given-name", "FIRST_NAME"},
    {"family-name", "LAST_NAME"},
    {"name", "FULL_NAME"},
    {"email", "EMAIL"},
    {"tel", "FULL_PHONE_NUMBER"},
    {"tel-country-code", "PHONE_COUNTRY_CODE"},
    {"tel-national", "PHONE_NATIONAL_NUMBER"},
    {"tel-extension", "PHONE_EXTENSION"},
    {"bday", "BIRTH_DATE"},
    {"sex", "GENDER"},
    {"country", "RESIDENCE_COUNTRY"},
    {"country-name", "RESIDENCE_COUNTRY"},
    {"address-level2", "RESIDENCE_CITY"},
    {"address-level1", "RESIDENCE_STATE"},
    {"postal-code", "RESIDENCE_ZIP_CODE"},
    {"address-line1", "RESIDENCE_LINE_1"},
    {"street-address", "RESIDENCE_LINE_1"},
    {"address-line2", "RESIDENCE_LINE_2"},
};

const char *uk_from_autocomplete(const char *ac)
{
    if (!ac)
        return NULL;
    /* The field token is the last one; section-*, shipping/billing and home/work/mobile hints
     * come before it. */
    const char *last = NULL;
    size_t last_len = 0;
    for (const char *p = ac; *p;) {
        while (*p && isspace((unsigned char)*p))
            p++;
        const char *s = p;
        while (*p && !isspace((unsigned char)*p))
            p++;
        if (p > s && !(p - s == 8 && strncasecmp(s, "webauthn", 8) == 0)) {
            last = s;
            last_len = (size_t)(p - s);
        }
    }
    if (!last)
        return NULL;
    for (size_t i = 0; i < OA_ARRAY_LEN(AUTOCOMPLETE); i++)
        if (strlen(AUTOCOMPLETE[i].token) == last_len &&
            strncasecmp(AUTOCOMPLETE[i].token, last, last_len) == 0)
            return AUTOCOMPLETE[i].key;
    return NULL;
}

/* ---- question keys ---------------------------------------------------------------------- */

#define T(x)   (1u << (x))
#define T_TEXT T(OA_Q_TEXT)
#define T_NUM  T(OA_Q_NUMBER)
#define T_BOOL T(OA_Q_BOOLEAN)
#define T_FILE T(OA_Q_FILE)
#define T_DATE T(OA_Q_DATE)
#define T_SEL  T(OA_Q_SINGLE_SELECT)
#define T_MSEL T(OA_Q_MULTI_SELECT)

enum {
    F_WEAK = 1,         /* generic word: a specific source overrules it */
    F_SHORT = 2,        /* labels of at most 4 words only */
    F_LONG = 4,         /* may match long labels (consent sentences) */
    F_PERSON = 8,       /* the person vetoes apply */
    F_NAME_ONLY = 16,   /* only matches field names */
    F_LABEL_ONLY = 32,  /* only matches labels */
    F_GENDER_OPTS = 64, /* only when at least two options name genders */
    F_ADDRESS = 128,    /* member of the address family (see combined labels) */
};

typedef struct {
    const char *key;
    unsigned types;
    unsigned flags;
    const char *const *phrases;
    const char *const *veto; /* extra vetoes, or NULL */
} rule;

/* Words that make a person attribute someone else's, or a second copy. */
static const char *const PERSON_VETO[] = {"company",
                                          "companies",
                                          "employer",
                                          "firma",
                                          "firmenname",
                                          "arbeitgeber*",
                                          "unternehmen*",
                                          "entreprise",
                                          "societe",
                                          "employeur",
                                          "empresa",
                                          "compania",
                                          "organisation",
                                          "organization",
                                          "org",
                                          "reference*",
                                          "referee*",
                                          "referenz*",
                                          "referent*",
                                          "recruiter",
                                          "manager",
                                          "supervisor",
                                          "vorgesetzte*",
                                          "school",
                                          "university",
                                          "college",
                                          "universitat",
                                          "hochschule",
                                          "schule",
                                          "ecole",
                                          "universite",
                                          "universidad",
                                          "escuela",
                                          "emergency",
                                          "notfall*",
                                          "urgence",
                                          "emergencia",
                                          "father",
                                          "mother",
                                          "parent*",
                                          "spouse",
                                          "vater",
                                          "mutter",
                                          "referral",
                                          "referred",
                                          "referrer",
                                          "empfehl*",
                                          "recommend*",
                                          "friend",
                                          "confirm*",
                                          "repeat*",
                                          "retype",
                                          "re enter",
                                          "reenter",
                                          "bestatig*",
                                          "wiederhol*",
                                          "confirmer",
                                          "confirmar",
                                          "repetir",
                                          "username",
                                          "user",
                                          "login",
                                          "account",
                                          "benutzername",
                                          "middle",
                                          "nickname",
                                          "preferred",
                                          "rufname",
                                          "maiden",
                                          "geburtsname",
                                          "previous",
                                          "former",
                                          "fruher*",
                                          "frueher*",
                                          "position",
                                          "job",
                                          "stelle",
                                          "poste",
                                          "puesto",
                                          "fax",
                                          "website",
                                          "web",
                                          "url",
                                          "linkedin",
                                          "github",
                                          "portfolio",
                                          "twitter",
                                          "skype",
                                          "alternative",
                                          "alternate",
                                          "secondary",
                                          "second",
                                          "zweite*",
                                          "weitere",
                                          "additional",
                                          "business",
                                          "office",
                                          "geschaftlich*",
                                          "dienstlich*",
                                          "bureau",
                                          "oficina",
                                          "pet",
                                          "contact person",
                                          "ansprechpartner*",
                                          NULL};

static const char *const V_PLACE[] = {"place", "lieu", "lugar", "country", "city",  "ort",
                                      "land",  "pays", "pais",  "ciudad",  "ville", NULL};
static const char *const V_START[] = {
    "travel*",    "reisen*",  "reisebereitschaft", "voyage*", "viajar",   "viaje*", "relocat*",
    "umzug*",     "demenag*", "mudanza",           "shift*",  "schicht*", "turno*", "weekend*",
    "wochenend*", "overtime", "uberstunden",       "hours",   "stunden",  "heures", "horas",
    "interview*", NULL};
static const char *const V_WHERE_PREF[] = {
    "prefer*",      "desired", "gewunscht*", "bevorzugt*", "wunsch*",
    "souhait*",     "desea*",  "deseado*",   "preferido*", "preferencia",
    "birth",        "geburt*", "naissance",  "nacimiento", "work location",
    "job location", "office",  "willing",    NULL};
static const char *const V_COUNTRY[] = {"birth",
                                        "geburt*",
                                        "naissance",
                                        "nacimiento",
                                        "nationality",
                                        "nationalitat",
                                        "citizenship",
                                        "staatsangehorigkeit",
                                        "staatsburgerschaft",
                                        "nationalite",
                                        "nacionalidad",
                                        "citoyennete",
                                        "ciudadania",
                                        "code",
                                        "issuing",
                                        "passport",
                                        "prefer*",
                                        "desired",
                                        "gewunscht*",
                                        "bevorzugt*",
                                        "wunsch*",
                                        "souhait*",
                                        "deseado*",
                                        "preferido*",
                                        "work location",
                                        "willing",
                                        "visa",
                                        NULL};
static const char *const V_STATE[] = {"civil",   "marital", "familienstand", "matrimonial",
                                      "prefer*", "desired", "work location", NULL};
static const char *const V_ADDRESS[] = {"email", "e mail",  "mail",   "web", "ip",
                                        "url",   "website", "wallet", NULL};
static const char *const V_GENDER[] = {"orientation", "orientierung", "orientacion", "pronoun*",
                                       "pronom*",     "pronombre*",   NULL};
static const char *const V_PHONE[] = {"country code", "vorwahl", "indicatif", "prefijo", NULL};

static const char *const P_EMAIL[] = {"email*",
                                      "e mail*",
                                      "mail address",
                                      "mailadresse",
                                      "courriel",
                                      "adresse electronique",
                                      "correo",
                                      "correo electronico",
                                      NULL};
static const char *const P_EMAIL_WEAK[] = {"mail", NULL};
static const char *const P_PHONE_CC[] = {
    "country code",   "phone country code", "phone country",          "dial code",  "dialing code",
    "dialling code",  "calling code",       "phone prefix",           "phone code", "landervorwahl",
    "laendervorwahl", "vorwahl land",       "internationale vorwahl", "indicatif*", "prefijo*",
    "codigo de pais", "codigo pais",        "codigo del pais",        NULL};
static const char *const P_PHONE_EXT[] = {"extension", "phone extension",      "ext",
                                          "durchwahl", "extension telefonica", NULL};
static const char *const P_PHONE_TYPE[] = {
    "phone type",       "type of phone",         "phone number type", "telephone type",
    "telefontyp",       "art der telefonnummer", "type de telephone", "type de numero",
    "tipo de telefono", "tipo telefono",         "number type",       NULL};
static const char *const P_PHONE[] = {"phone",
                                      "phone number",
                                      "phonenumber",
                                      "telephone",
                                      "telephone number",
                                      "tel",
                                      "tel nr",
                                      "cell",
                                      "cell phone",
                                      "cellphone",
                                      "mobile",
                                      "mobile number",
                                      "mobile phone",
                                      "contact number",
                                      "telefon",
                                      "telefonnummer",
                                      "telefonnr",
                                      "mobil",
                                      "mobilnummer",
                                      "mobiltelefon",
                                      "mobiltelefonnummer",
                                      "mobilfunknummer",
                                      "handy",
                                      "handynummer",
                                      "rufnummer",
                                      "numero de telephone",
                                      "portable",
                                      "telefono",
                                      "numero de telefono",
                                      "movil",
                                      "celular",
                                      NULL};
static const char *const P_BIRTH[] = {"date of birth",
                                      "birth date",
                                      "birthdate",
                                      "birthday",
                                      "dob",
                                      "geburtsdatum",
                                      "geburtstag",
                                      "date de naissance",
                                      "naissance",
                                      "fecha de nacimiento",
                                      "fecha nacimiento",
                                      "nacimiento",
                                      "birth",
                                      "bday",
                                      NULL};
static const char *const P_START[] = {"start date",
                                      "starting date",
                                      "startdate",
                                      "earliest start*",
                                      "possible start*",
                                      "earliest possible start*",
                                      "available from",
                                      "available to start",
                                      "availability date",
                                      "available start date",
                                      "when can you start",
                                      "when could you start",
                                      "how soon can you start",
                                      "how soon could you start",
                                      "when would you be able to start",
                                      "ab wann konnen sie*",
                                      "ab wann kannst du*",
                                      "a partir de quand*",
                                      "cuando puedes empezar",
                                      "cuando podrias empezar",
                                      "cuando podria empezar",
                                      "date available",
                                      "date of availability",
                                      "eintritt*",
                                      "fruhest* eintritt*",
                                      "verfugbar ab",
                                      "verfuegbar ab",
                                      "verfugbarkeit",
                                      "verfuegbarkeit",
                                      "startdatum",
                                      "starttermin",
                                      "date de disponibilite",
                                      "disponibilite",
                                      "disponible a partir*",
                                      "date de debut",
                                      "date d entree",
                                      "date de prise de poste",
                                      "fecha de inicio",
                                      "fecha inicio",
                                      "fecha de incorporacion",
                                      "incorporacion",
                                      "disponibilidad",
                                      "fecha disponible",
                                      "availability",
                                      NULL};
static const char *const P_RESUME[] = {"resume",     "resumee",      "cv",        "curriculum*",
                                       "lebenslauf", "hoja de vida", "resume cv", NULL};
static const char *const P_POOL[] = {"talent pool",
                                     "talentpool",
                                     "talent community",
                                     "talent network",
                                     "talent database",
                                     "talent pipeline",
                                     "applicant pool",
                                     "candidate pool",
                                     "candidate database",
                                     "future opportunities",
                                     "future job opportunities",
                                     "future openings",
                                     "future positions",
                                     "future vacancies",
                                     "future roles",
                                     "other positions",
                                     "other vacancies",
                                     "other suitable positions",
                                     "other roles",
                                     "bewerberpool",
                                     "kandidatenpool",
                                     "weitere stellen*",
                                     "andere stellen*",
                                     "passende stellen*",
                                     "zukunftige stellen*",
                                     "zukunftige vakanzen",
                                     "kunftige stellen*",
                                     "in evidenz",
                                     "vivier*",
                                     "cvtheque",
                                     "base de candidats",
                                     "futures opportunites",
                                     "opportunites futures",
                                     "autres postes",
                                     "autres offres",
                                     "futurs postes",
                                     "futures offres",
                                     "bolsa de talento",
                                     "bolsa de candidatos",
                                     "bolsa de empleo",
                                     "futuras ofertas",
                                     "futuros procesos",
                                     "otras vacantes",
                                     "otros procesos",
                                     "futuras oportunidades",
                                     NULL};
static const char *const P_TERMS[] = {"terms",
                                      "terms and conditions",
                                      "terms of use",
                                      "terms of service",
                                      "conditions",
                                      "agb",
                                      "allgemeine geschaftsbedingungen",
                                      "allgemeinen geschaftsbedingungen",
                                      "geschaftsbedingungen",
                                      "nutzungsbedingungen",
                                      "teilnahmebedingungen",
                                      "conditions generales",
                                      "conditions d utilisation",
                                      "cgu",
                                      "cgv",
                                      "terminos",
                                      "condiciones",
                                      "terminos y condiciones",
                                      NULL};
static const char *const P_GENDER[] = {"gender", "sex",    "geschlecht",      "sexe",
                                       "sexo",   "genero", "gender identity", NULL};
/* "Genre" is also "kind" in French: gender only when the options name genders. */
static const char *const P_GENDER_AMBIG[] = {"genre", NULL};
/* Salutations (Herr/Frau, M./Mme): gender when the options say so, but a real gender
 * question in the same form wins. */
static const char *const P_SALUTATION[] = {"anrede", "salutation",      "civilite",
                                           "title",  "titel",           "tratamiento",
                                           "titulo", "form of address", NULL};
static const char *const P_RES_TYPE[] = {
    "address type",    "type of address", "residence type",    "adresstyp",         "adressart",
    "art der adresse", "type d adresse",  "tipo de direccion", "tipo de domicilio", NULL};
static const char *const P_LINE2[] = {"address line 2",
                                      "address 2",
                                      "street address 2",
                                      "street address line 2",
                                      "street 2",
                                      "adresszeile 2",
                                      "adresszusatz",
                                      "adresse ligne 2",
                                      "complement d adresse",
                                      "complement adresse",
                                      "direccion linea 2",
                                      "apartment",
                                      "apt",
                                      "suite",
                                      NULL};
static const char *const P_LINE1[] = {"address line 1",
                                      "address line",
                                      "address 1",
                                      "street",
                                      "street address",
                                      "street address line 1",
                                      "street and number",
                                      "street and house number",
                                      "strasse",
                                      "strasse und hausnummer",
                                      "strasse hausnummer",
                                      "strasse nr",
                                      "strasse hausnr",
                                      "adresszeile 1",
                                      "adresse ligne 1",
                                      "rue",
                                      "numero et rue",
                                      "calle",
                                      "calle y numero",
                                      "direccion linea 1",
                                      NULL};
static const char *const P_ZIP[] = {
    "zip", "zip code",     "zipcode",     "postal code",   "postalcode", "postcode", "post code",
    "plz", "postleitzahl", "code postal", "codigo postal", "postal",     NULL};
static const char *const P_CITY[] = {"city",
                                     "town",
                                     "ort",
                                     "wohnort",
                                     "stadt",
                                     "ville",
                                     "ciudad",
                                     "localidad",
                                     "poblacion",
                                     "municipio",
                                     "city of residence",
                                     "current city",
                                     "location city",
                                     "current location",
                                     "ville de residence",
                                     "ciudad de residencia",
                                     NULL};
static const char *const P_STATE[] = {"state",
                                      "province",
                                      "state province",
                                      "state or province",
                                      "bundesland",
                                      "kanton",
                                      "canton",
                                      "provincia",
                                      "estado",
                                      "region",
                                      NULL};
static const char *const P_COUNTRY[] = {"country",
                                        "country of residence",
                                        "residence country",
                                        "current country",
                                        "land",
                                        "wohnland",
                                        "aufenthaltsland",
                                        "pays",
                                        "pays de residence",
                                        "pais",
                                        "pais de residencia",
                                        NULL};
static const char *const P_FULL_ADDR[] = {"address",
                                          "home address",
                                          "full address",
                                          "postal address",
                                          "mailing address",
                                          "current address",
                                          "residential address",
                                          "your address",
                                          "adresse",
                                          "anschrift",
                                          "wohnadresse",
                                          "wohnanschrift",
                                          "postanschrift",
                                          "privatadresse",
                                          "privatanschrift",
                                          "heimatadresse",
                                          "adresse postale",
                                          "adresse complete",
                                          "direccion",
                                          "domicilio",
                                          "direccion completa",
                                          "direccion postal",
                                          NULL};
static const char *const P_FULL_NAME[] = {"full name",
                                          "fullname",
                                          "complete name",
                                          "legal name",
                                          "full legal name",
                                          "first and last name",
                                          "first last name",
                                          "first name and last name",
                                          "first name last name",
                                          "name and surname",
                                          "vollstandiger name",
                                          "vor und nachname",
                                          "vor nachname",
                                          "vorname und nachname",
                                          "vorname nachname",
                                          "vorname und name",
                                          "name vorname",
                                          "nachname vorname",
                                          "vorname name",
                                          "nom complet",
                                          "nom et prenom",
                                          "prenom et nom",
                                          "nom prenom",
                                          "prenom nom",
                                          "nombre completo",
                                          "nombre y apellido*",
                                          "nombre apellido*",
                                          "apellidos y nombre",
                                          "apellido y nombre",
                                          "nombres y apellidos",
                                          NULL};
static const char *const P_FIRST[] = {"first name",    "firstname", "given name*", "givenname",
                                      "forename",      "vorname*",  "prenom*",     "nombre de pila",
                                      "primer nombre", NULL};
static const char *const P_FIRST_NAME_ONLY[] = {"fname", "first", "given", NULL};
static const char *const P_FIRST_WEAK[] = {"nombre", "nombres", NULL};
static const char *const P_LAST[] = {
    "last name", "lastname", "surname*",       "family name", "familyname",      "familienname",
    "nachname*", "zuname",   "nom de famille", "apellido*",   "primer apellido", NULL};
static const char *const P_LAST_NAME_ONLY[] = {"lname", "last", "family", NULL};
static const char *const P_LAST_WEAK[] = {"nom", NULL};
static const char *const P_FULL_WEAK[] = {
    "name",      "your name",      "ihr name",       "dein name",      "votre nom", "tu nombre",
    "su nombre", "candidate name", "applicant name", "your full name", NULL};

static const rule RULES[] = {
    {"EMAIL", T_TEXT, F_PERSON, P_EMAIL, NULL},
    {"EMAIL", T_TEXT, F_PERSON | F_WEAK | F_SHORT, P_EMAIL_WEAK, NULL},
    {"PHONE_COUNTRY_CODE", T_TEXT | T_SEL, 0, P_PHONE_CC, NULL},
    {"PHONE_EXTENSION", T_TEXT | T_NUM, F_SHORT, P_PHONE_EXT, NULL},
    {"PHONE_NUMBER_TYPE", T_SEL, 0, P_PHONE_TYPE, NULL},
    {"FULL_PHONE_NUMBER", T_TEXT | T_NUM, F_PERSON, P_PHONE, V_PHONE},
    {"BIRTH_DATE", T_DATE | T_TEXT, F_PERSON, P_BIRTH, V_PLACE},
    {"EXPECTED_START_DATE", T_DATE | T_TEXT, 0, P_START, V_START},
    {"RESUME", T_FILE, 0, P_RESUME, NULL},
    {"APPLICANT_POOL_CONSENT", T_BOOL | T_SEL, F_LONG | F_LABEL_ONLY, P_POOL, NULL},
    {"TERMS_AND_CONDITIONS", T_BOOL | T_SEL, F_LONG, P_TERMS, NULL},
    {"GENDER", T_SEL | T_TEXT, F_SHORT, P_GENDER, V_GENDER},
    {"GENDER", T_SEL, F_SHORT | F_GENDER_OPTS, P_GENDER_AMBIG, V_GENDER},
    {"GENDER", T_SEL, F_SHORT | F_GENDER_OPTS | F_WEAK, P_SALUTATION, V_GENDER},
    {"RESIDENCE_TYPE", T_SEL, 0, P_RES_TYPE, NULL},
    {"RESIDENCE_LINE_2", T_TEXT, F_PERSON | F_ADDRESS, P_LINE2, NULL},
    {"RESIDENCE_LINE_1", T_TEXT, F_PERSON | F_ADDRESS, P_LINE1, NULL},
    {"RESIDENCE_ZIP_CODE", T_TEXT | T_NUM, F_PERSON | F_ADDRESS, P_ZIP, NULL},
    {"RESIDENCE_CITY", T_TEXT | T_SEL, F_PERSON | F_SHORT | F_ADDRESS, P_CITY, V_WHERE_PREF},
    {"RESIDENCE_STATE", T_TEXT | T_SEL, F_PERSON | F_SHORT | F_ADDRESS, P_STATE, V_STATE},
    {"RESIDENCE_COUNTRY", T_TEXT | T_SEL, F_PERSON | F_SHORT | F_ADDRESS, P_COUNTRY, V_COUNTRY},
    {"RESIDENCE_FULL_STRING", T_TEXT, F_PERSON, P_FULL_ADDR, V_ADDRESS},
    {"FULL_NAME", T_TEXT, F_PERSON, P_FULL_NAME, NULL},
    {"FIRST_NAME", T_TEXT, F_PERSON, P_FIRST, NULL},
    {"FIRST_NAME", T_TEXT, F_PERSON | F_NAME_ONLY, P_FIRST_NAME_ONLY, NULL},
    {"FIRST_NAME", T_TEXT, F_PERSON | F_WEAK | F_SHORT, P_FIRST_WEAK, NULL},
    {"LAST_NAME", T_TEXT, F_PERSON, P_LAST, NULL},
    {"LAST_NAME", T_TEXT, F_PERSON | F_NAME_ONLY, P_LAST_NAME_ONLY, NULL},
    {"LAST_NAME", T_TEXT, F_PERSON | F_WEAK | F_SHORT, P_LAST_WEAK, NULL},
    {"FULL_NAME", T_TEXT, F_PERSON | F_WEAK | F_SHORT, P_FULL_WEAK, NULL},
};

/* Words that wrap field names without meaning anything ("job_application[first_name]"). */
static const char *const NAME_NOISE[] = {
    "job",         "application",
    "applicant",   "candidate",
    "candidature", "bewerbung",
    "bewerber",    "form",
    "data",        "fields",
    "field",       "input",
    "answers",     "attributes",
    "personal",    "contact",
    "info",        "details",
    "question",    "questions",
    "values",      "value",
    "text",        "main",
    "custom",      "profile",
    "person",      "user",
    "your",        "the",
    "wpcf7",       "cf7",
    "txt",         "fld",
    "inp",         "frm",
    "0",           "1" /* keep "address 1"/"line 1" intact below */,
    NULL};

/* Drops noise words from normalised name words, except digits after address words. */
static char *strip_name_noise(const char *words)
{
    size_t n = strlen(words);
    char *o = xmalloc(n + 1);
    size_t j = 0;
    const char *prev = NULL;
    size_t prev_len = 0;
    for (const char *p = words; *p;) {
        const char *s = p;
        while (*p && *p != ' ')
            p++;
        size_t len = (size_t)(p - s);
        bool noise = false;
        for (size_t i = 0; NAME_NOISE[i] && !noise; i++)
            noise = strlen(NAME_NOISE[i]) == len && strncmp(NAME_NOISE[i], s, len) == 0;
        if (noise && len == 1 && isdigit((unsigned char)*s) && prev &&
            ((prev_len == 7 && strncmp(prev, "address", 7) == 0) ||
             (prev_len == 4 && strncmp(prev, "line", 4) == 0) ||
             (prev_len == 6 && strncmp(prev, "street", 6) == 0)))
            noise = false;
        if (!noise) {
            if (j)
                o[j++] = ' ';
            memcpy(o + j, s, len);
            j += len;
            prev = s;
            prev_len = len;
        }
        while (*p == ' ')
            p++;
    }
    o[j] = '\0';
    return o;
}

/* The first rule matching normalised text; name_mode for field names. */
static const rule *match_rules(const char *norm, bool name_mode, oa_qtype type, size_t n_gender)
{
    if (!*norm)
        return NULL;
    size_t words = uk_word_count(norm);
    for (size_t i = 0; i < OA_ARRAY_LEN(RULES); i++) {
        const rule *r = &RULES[i];
        if (!(r->types & T(type)))
            continue;
        if (name_mode && (r->flags & F_LABEL_ONLY))
            continue;
        if (!name_mode && (r->flags & F_NAME_ONLY))
            continue;
        if (!name_mode && !(r->flags & F_LONG) && words > ((r->flags & F_SHORT) ? 4u : 7u))
            continue;
        if ((r->flags & F_GENDER_OPTS) && n_gender < 2)
            continue;
        if (!has_any(norm, r->phrases))
            continue;
        if (r->veto && has_any(norm, r->veto))
            return NULL;
        if ((r->flags & F_PERSON) && has_any(norm, PERSON_VETO))
            return NULL;
        if (r->flags & F_ADDRESS) {
            /* "PLZ / Ort", "Street, ZIP, City": a combined address field. */
            int parts = 0;
            bool street = false;
            bool line = false;
            for (size_t k = 0; k < OA_ARRAY_LEN(RULES); k++) {
                if (!(RULES[k].flags & F_ADDRESS) || !has_any(norm, RULES[k].phrases))
                    continue;
                bool is_line = RULES[k].phrases == P_LINE1 || RULES[k].phrases == P_LINE2;
                if (is_line && line)
                    continue; /* "address line 2" also reads as "address line" */
                line = line || is_line;
                parts++;
                street = street || is_line;
            }
            if (parts > 1) {
                if (street && (T(type) & T_TEXT)) {
                    static const rule full = {"RESIDENCE_FULL_STRING", T_TEXT, F_PERSON,
                                              P_FULL_ADDR, NULL};
                    return &full;
                }
                return NULL;
            }
        }
        return r;
    }
    return NULL;
}

static bool type_ok_for(const char *key, oa_qtype type)
{
    for (size_t i = 0; i < OA_ARRAY_LEN(RULES); i++)
        if (strcmp(RULES[i].key, key) == 0 && (RULES[i].types & T(type)))
            return true;
    /* Keys only reachable by autocomplete. */
    if (strcmp(key, "PHONE_NATIONAL_NUMBER") == 0)
        return type == OA_Q_TEXT || type == OA_Q_NUMBER;
    return false;
}

const char *uk_question_key(const uk_question *q, uk_source *src)
{
    *src = UK_SRC_NONE;
    const char *ac = uk_from_autocomplete(q->autocomplete);
    if (ac && type_ok_for(ac, q->type)) {
        *src = UK_SRC_AUTOCOMPLETE;
        return ac;
    }
    char *nw = uk_name_words(q->field_name);
    char *name = strip_name_noise(nw);
    char *label = uk_norm(q->label);
    const rule *rn = match_rules(name, true, q->type, q->n_gender_options);
    const rule *rl = match_rules(label, false, q->type, q->n_gender_options);
    /* A veto word on either side ("company_name" labelled "Name") silences both. */
    if (rn && (rn->flags & F_PERSON) && *label && has_any(label, PERSON_VETO) &&
        uk_word_count(label) <= 7)
        rn = NULL;
    if (rl && (rl->flags & F_PERSON) && has_any(name, PERSON_VETO))
        rl = NULL;
    const char *key = NULL;
    if (rn && !(rn->flags & F_WEAK)) {
        key = rn->key;
        *src = UK_SRC_NAME;
        /* A generic field name word overruled by a specific label ("name" labelled
         * "Nachname") is handled by the weak branch; a specific name that disagrees with a
         * specific label (rare) keeps the name. */
    } else if (rl && !(rl->flags & F_WEAK)) {
        key = rl->key;
        *src = UK_SRC_LABEL;
    } else if (rn) {
        key = rn->key;
        *src = UK_SRC_WEAK;
    } else if (rl) {
        key = rl->key;
        *src = UK_SRC_WEAK;
    }
    free(nw);
    free(name);
    free(label);
    return key;
}

const char *uk_canonical_key(const char *key)
{
    if (!key)
        return NULL;
    for (size_t i = 0; i < OA_ARRAY_LEN(RULES); i++)
        if (strcmp(RULES[i].key, key) == 0)
            return RULES[i].key;
    for (size_t i = 0; i < OA_ARRAY_LEN(AUTOCOMPLETE); i++)
        if (strcmp(AUTOCOMPLETE[i].key, key) == 0)
            return AUTOCOMPLETE[i].key;
    return NULL;
}

/* ---- option keys ------------------------------------------------------------------------ */

static const char *const G_MALE[] = {
    "male",           "man",      "men",      "mann",     "mannlich",  "maennlich",
    "herr",           "homme",    "masculin", "hombre",   "masculino", "mr",
    "mister",         "monsieur", "m",        "senor",    "sr",        "cis male",
    "cisgender male", "cis man",  "male man", "man male", NULL};
static const char *const G_FEMALE[] = {"female",       "woman",
                                       "women",        "frau",
                                       "weiblich",     "femme",
                                       "feminin",      "feminine",
                                       "mujer",        "femenino",
                                       "mrs",          "ms",
                                       "miss",         "madame",
                                       "mme",          "mlle",
                                       "mademoiselle", "senora",
                                       "sra",          "f",
                                       "cis female",   "cisgender female",
                                       "cis woman",    "female woman",
                                       "woman female", NULL};
static const char *const G_NONBIN[] = {
    "non binary",        "nonbinary",   "non binaire", "no binario", "divers",
    "diverse",           "genderqueer", "mx",          "x",          "d",
    "non binary person", "nicht binar", "non binaria", NULL};
static const char *const G_NOTSPEC_PREFIX[] = {
    "prefer not*",        "i prefer not*",     "i d prefer not*",
    "decline*",           "i decline*",        "i don t wish*",
    "i do not wish*",     "don t wish*",       "do not wish*",
    "not specified",      "not disclosed",     "rather not say",
    "i d rather not*",    "keine angabe*",     "ohne angabe",
    "mochte ich nicht*",  "ich mochte*nicht*", "nicht angegeben",
    "je prefere ne pas*", "prefere ne pas*",   "je ne souhaite pas*",
    "ne souhaite pas*",   "non specifie",      "non precise",
    "prefiero no*",       "no especificado",   "sin especificar",
    "no deseo*",          "no quiero*",        NULL};

/* True when norm starts with one of the phrases (word boundary, '*' = anything after). */
static bool starts_with_any(const char *norm, const char *const *phrases)
{
    for (size_t i = 0; phrases[i]; i++) {
        const char *p = phrases[i];
        size_t len = strlen(p);
        const char *star = strchr(p, '*');
        if (star)
            len = (size_t)(star - p);
        if (strncmp(norm, p, len) != 0)
            continue;
        if (star || norm[len] == '\0' || norm[len] == ' ')
            return true;
    }
    return false;
}

const char *uk_gender_option(const char *label, const char *value)
{
    char *n = uk_norm(label && *label ? label : value);
    const char *key = NULL;
    if (starts_with_any(n, G_NOTSPEC_PREFIX))
        key = "NOT_SPECIFIED";
    else if (is_one_of(n, G_NONBIN) || uk_has_phrase(n, "non binary") ||
             uk_has_phrase(n, "nonbinary") || uk_has_phrase(n, "divers"))
        key = "NON_BINARY";
    else if (is_one_of(n, G_MALE))
        key = "MALE";
    else if (is_one_of(n, G_FEMALE))
        key = "FEMALE";
    else {
        /* "Female / Woman", "Man (cis)": one side only. */
        bool m = false, f = false;
        for (size_t i = 0; G_MALE[i]; i++)
            if (strlen(G_MALE[i]) > 2 && uk_has_phrase(n, G_MALE[i]))
                m = true;
        for (size_t i = 0; G_FEMALE[i]; i++)
            if (strlen(G_FEMALE[i]) > 2 && uk_has_phrase(n, G_FEMALE[i]))
                f = true;
        bool trans = uk_has_phrase(n, "trans*");
        if (m != f && !trans && uk_word_count(n) <= 4)
            key = m ? "MALE" : "FEMALE";
    }
    free(n);
    return key;
}

static const char *const PT_MOBILE[] = {
    "mobile",      "mobile phone", "cell",           "cell phone",
    "cellphone",   "handy",        "mobil",          "mobiltelefon",
    "mobilnummer", "mobilfunk",    "portable",       "telephone portable",
    "movil",       "celular",      "telefono movil", "telefono celular",
    NULL};
static const char *const PT_LAND[] = {
    "landline",      "land line", "festnetz",   "festnetznummer", "fixe",  "telephone fixe", "fijo",
    "telefono fijo", "home",      "home phone", "fixed line",     "fixed", "privat",         NULL};
static const char *const RT_HOME[] = {
    "home",      "home address", "private", "privat",    "privatadresse", "wohnadresse", "domicile",
    "personnel", "personnelle",  "casa",    "domicilio", "particular",    "residence",   NULL};
static const char *const RT_WORK[] = {"work",         "work address",  "business",        "office",
                                      "geschaftlich", "dienstlich",    "arbeit",          "firma",
                                      "travail",      "professionnel", "professionnelle", "bureau",
                                      "trabajo",      "oficina",       "laboral",         NULL};
static const char *const RT_MAIL[] = {"mailing",
                                      "mailing address",
                                      "postal",
                                      "postanschrift",
                                      "postadresse",
                                      "correspondance",
                                      "correspondencia",
                                      "postal address",
                                      "adresse postale",
                                      "direccion postal",
                                      NULL};
static const char *const SRC_BOARD[] = {"other job board*",
                                        "other job site*",
                                        "other jobboard*",
                                        "other job portal*",
                                        "other job website*",
                                        "job board*",
                                        "jobboard*",
                                        "job portal*",
                                        "job site*",
                                        "andere jobborse*",
                                        "andere jobboerse*",
                                        "sonstige jobborse*",
                                        "jobborse*",
                                        "jobboerse*",
                                        "stellenborse*",
                                        "online jobborse*",
                                        "autre site d emploi*",
                                        "autres sites d emploi*",
                                        "autre job board*",
                                        "site d emploi*",
                                        "otro portal de empleo*",
                                        "otra bolsa de empleo*",
                                        "otro portal*",
                                        "portal de empleo*",
                                        "bolsa de empleo*",
                                        "stellenportal*",
                                        "jobportal*",
                                        "site emploi*",
                                        NULL};
static const char *const SRC_OTHER[] = {"other*",   "others", "sonstiges*", "sonstige*", "andere*",
                                        "anderes*", "autre*", "autres*",    "otro*",     "otros*",
                                        "otra*",    "otras*", NULL};

static const char *const COUNTRYISH[] = {"country*",
                                         "land",
                                         "lander",
                                         "pays",
                                         "pais",
                                         "paises",
                                         "nationality",
                                         "nationalitat",
                                         "staatsangehorigkeit",
                                         "staatsburgerschaft",
                                         "nationalite",
                                         "nacionalidad",
                                         "citizenship",
                                         "citoyennete",
                                         "ciudadania",
                                         "geburtsland",
                                         "wohnland",
                                         "herkunftsland",
                                         NULL};
static const char *const SOURCEISH[] = {"hear about*",
                                        "heard about*",
                                        "how did you find*",
                                        "where did you find*",
                                        "where did you hear*",
                                        "how did you hear*",
                                        "how did you learn*",
                                        "how did you come across*",
                                        "source",
                                        "referral source",
                                        "application source",
                                        "aufmerksam geworden",
                                        "aufmerksam",
                                        "erfahren",
                                        "woher kennen*",
                                        "quelle",
                                        "comment avez vous connu*",
                                        "comment avez vous entendu*",
                                        "comment avez vous trouve*",
                                        "connu*",
                                        "como te enteraste*",
                                        "como se entero*",
                                        "como supiste*",
                                        "como conociste*",
                                        "como nos conociste*",
                                        "donde viste*",
                                        "fuente",
                                        NULL};

uk_opts_kind uk_options_kind(const char *question_key, const char *label)
{
    if (question_key) {
        if (strcmp(question_key, "GENDER") == 0)
            return UK_OPTS_GENDER;
        if (strcmp(question_key, "PHONE_NUMBER_TYPE") == 0)
            return UK_OPTS_PHONE_TYPE;
        if (strcmp(question_key, "RESIDENCE_TYPE") == 0)
            return UK_OPTS_RESIDENCE;
        if (strcmp(question_key, "RESIDENCE_COUNTRY") == 0 ||
            strcmp(question_key, "PHONE_COUNTRY_CODE") == 0)
            return UK_OPTS_COUNTRY;
    }
    char *n = uk_norm(label);
    uk_opts_kind k = UK_OPTS_NONE;
    if (has_any(n, SOURCEISH))
        k = UK_OPTS_SOURCE;
    else if (has_any(n, COUNTRYISH))
        k = UK_OPTS_COUNTRY;
    free(n);
    return k;
}

const char *uk_option_key(uk_opts_kind kind, const char *label, const char *value)
{
    const char *key = NULL;
    char *n = NULL;
    switch (kind) {
    case UK_OPTS_NONE:
        break;
    case UK_OPTS_GENDER:
        key = uk_gender_option(label, value);
        break;
    case UK_OPTS_PHONE_TYPE:
        n = uk_norm(label && *label ? label : value);
        if (is_one_of(n, PT_MOBILE))
            key = "MOBILE";
        else if (is_one_of(n, PT_LAND))
            key = "LANDLINE";
        break;
    case UK_OPTS_RESIDENCE:
        n = uk_norm(label && *label ? label : value);
        if (is_one_of(n, RT_HOME))
            key = "HOME";
        else if (is_one_of(n, RT_WORK))
            key = "WORK";
        else if (is_one_of(n, RT_MAIL))
            key = "MAILING";
        break;
    case UK_OPTS_COUNTRY:
        key = uk_country_code(value);
        if (!key ||
            (label && *label && uk_country_code(label) && strcmp(uk_country_code(label), key) != 0))
            key = uk_country_code(label);
        break;
    case UK_OPTS_SOURCE:
        n = uk_norm(label && *label ? label : value);
        if (starts_with_any(n, SRC_BOARD))
            key = "SOURCE_OTHER_JOB_BOARD";
        else if (starts_with_any(n, SRC_OTHER))
            key = "SOURCE_OTHER";
        break;
    }
    free(n);
    return key;
}

/* ---- countries -------------------------------------------------------------------------- */

/* Kombo's option enum, country part (ISO 3166-1 alpha-2), sorted. */
static const char *const ISO_CODES[] = {
    "AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AQ", "AR", "AS", "AT", "AU", "AW", "AX", "AZ",
    "BA", "BB", "BD", "BE", "BF", "BG", "BH", "BI", "BJ", "BL", "BM", "BN", "BO", "BQ", "BR", "BS",
    "BT", "BV", "BW", "BY", "BZ", "CA", "CC", "CD", "CF", "CG", "CH", "CI", "CK", "CL", "CM", "CN",
    "CO", "CR", "CU", "CV", "CW", "CX", "CY", "CZ", "DE", "DJ", "DK", "DM", "DO", "DZ", "EC", "EE",
    "EG", "EH", "ER", "ES", "ET", "FI", "FJ", "FK", "FM", "FO", "FR", "GA", "GB", "GD", "GE", "GF",
    "GG", "GH", "GI", "GL", "GM", "GN", "GP", "GQ", "GR", "GS", "GT", "GU", "GW", "GY", "HK", "HM",
    "HN", "HR", "HT", "HU", "ID", "IE", "IL", "IM", "IN", "IO", "IQ", "IR", "IS", "IT", "JE", "JM",
    "JO", "JP", "KE", "KG", "KH", "KI", "KM", "KN", "KP", "KR", "KW", "KY", "KZ", "LA", "LB", "LC",
    "LI", "LK", "LR", "LS", "LT", "LU", "LV", "LY", "MA", "MC", "MD", "ME", "MF", "MG", "MH", "MK",
    "ML", "MM", "MN", "MO", "MP", "MQ", "MR", "MS", "MT", "MU", "MV", "MW", "MX", "MY", "MZ", "NA",
    "NC", "NE", "NF", "NG", "NI", "NL", "NO", "NP", "NR", "NU", "NZ", "OM", "PA", "PE", "PF", "PG",
    "PH", "PK", "PL", "PM", "PN", "PR", "PS", "PT", "PW", "PY", "QA", "RE", "RO", "RS", "RU", "RW",
    "SA", "SB", "SC", "SD", "SE", "SG", "SH", "SI", "SJ", "SK", "SL", "SM", "SN", "SO", "SR", "SS",
    "ST", "SV", "SX", "SY", "SZ", "TC", "TD", "TF", "TG", "TH", "TJ", "TK", "TL", "TM", "TN", "TO",
    "TR", "TT", "TV", "TW", "TZ", "UA", "UG", "UM", "US", "UY", "UZ", "VA", "VC", "VE", "VG", "VI",
    "VN", "VU", "WF", "WS", "YE", "YT", "ZA", "ZM", "ZW",
};

/* The table entry for a code (static storage), or NULL. */
static const char *iso_lookup(const char *code)
{
    size_t lo = 0, hi = OA_ARRAY_LEN(ISO_CODES);
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(ISO_CODES[mid], code);
        if (c == 0)
            return ISO_CODES[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

bool uk_country_code_valid(const char *code)
{
    return code && strlen(code) == 2 && iso_lookup(code) != NULL;
}

/* Names in normalised form: English, German, French, Spanish, common aliases. */
static const struct {
    const char *code;
    const char *names; /* '|'-separated */
} COUNTRIES[] = {
    {"DE", "germany|deutschland|allemagne|alemania|federal republic of germany|"
           "bundesrepublik deutschland"},
    {"AT", "austria|osterreich|oesterreich|autriche"},
    {"CH", "switzerland|schweiz|suisse|suiza|svizzera"},
    {"FR", "france|frankreich|francia"},
    {"ES", "spain|spanien|espagne|espana"},
    {"IT", "italy|italien|italie|italia"},
    {"GB", "united kingdom|uk|u k|great britain|britain|vereinigtes konigreich|"
           "grossbritannien|royaume uni|reino unido|england|scotland|wales|northern ireland|"
           "united kingdom of great britain and northern ireland"},
    {"US", "united states|united states of america|usa|u s a|us|u s|vereinigte staaten|"
           "vereinigte staaten von amerika|etats unis|etats unis d amerique|estados unidos|"
           "estados unidos de america"},
    {"NL", "netherlands|the netherlands|niederlande|pays bas|paises bajos|holland|holanda"},
    {"BE", "belgium|belgien|belgique|belgica"},
    {"LU", "luxembourg|luxemburg|luxemburgo"},
    {"PT", "portugal"},
    {"IE", "ireland|irland|irlande|irlanda|republic of ireland"},
    {"DK", "denmark|danemark|dinamarca"},
    {"SE", "sweden|schweden|suede|suecia"},
    {"NO", "norway|norwegen|norvege|noruega"},
    {"FI", "finland|finnland|finlande|finlandia"},
    {"IS", "iceland|island|islande|islandia"},
    {"PL", "poland|polen|pologne|polonia"},
    {"CZ", "czech republic|czechia|tschechien|tschechische republik|republique tcheque|"
           "tchequie|republica checa|chequia"},
    {"SK", "slovakia|slowakei|slovaquie|eslovaquia"},
    {"HU", "hungary|ungarn|hongrie|hungria"},
    {"RO", "romania|rumanien|roumanie|rumania"},
    {"BG", "bulgaria|bulgarien|bulgarie"},
    {"GR", "greece|griechenland|grece|grecia"},
    {"HR", "croatia|kroatien|croatie|croacia"},
    {"SI", "slovenia|slowenien|slovenie|eslovenia"},
    {"RS", "serbia|serbien|serbie"},
    {"BA", "bosnia and herzegovina|bosnien und herzegowina|bosnie herzegovine|"
           "bosnia y herzegovina|bosnia"},
    {"ME", "montenegro"},
    {"MK", "north macedonia|nordmazedonien|macedoine du nord|macedonia del norte|macedonia"},
    {"AL", "albania|albanien|albanie"},
    {"UA", "ukraine|ucrania"},
    {"BY", "belarus|weissrussland|bielorussie|bielorrusia"},
    {"MD", "moldova|moldau|moldawien|republik moldau|moldavie"},
    {"RU", "russia|russian federation|russland|russische foderation|russie|rusia"},
    {"TR", "turkey|turkiye|turkei|turquie|turquia"},
    {"EE", "estonia|estland|estonie"},
    {"LV", "latvia|lettland|lettonie|letonia"},
    {"LT", "lithuania|litauen|lituanie|lituania"},
    {"MT", "malta|malte"},
    {"CY", "cyprus|zypern|chypre|chipre"},
    {"LI", "liechtenstein"},
    {"MC", "monaco"},
    {"AD", "andorra|andorre"},
    {"CA", "canada|kanada"},
    {"MX", "mexico|mexiko|mexique"},
    {"BR", "brazil|brasilien|bresil|brasil"},
    {"AR", "argentina|argentinien|argentine"},
    {"CL", "chile|chili"},
    {"CO", "colombia|kolumbien|colombie"},
    {"PE", "peru|perou"},
    {"VE", "venezuela"},
    {"UY", "uruguay"},
    {"PY", "paraguay"},
    {"BO", "bolivia|bolivien|bolivie"},
    {"EC", "ecuador|equateur"},
    {"CR", "costa rica"},
    {"PA", "panama"},
    {"GT", "guatemala"},
    {"DO", "dominican republic|dominikanische republik|republique dominicaine|"
           "republica dominicana"},
    {"CU", "cuba|kuba"},
    {"PR", "puerto rico|porto rico"},
    {"CN", "china|chine|people s republic of china|volksrepublik china"},
    {"JP", "japan|japon"},
    {"KR", "south korea|korea|republic of korea|korea republic of|sudkorea|coree du sud|"
           "corea del sur|korea south"},
    {"IN", "india|indien|inde"},
    {"PK", "pakistan"},
    {"BD", "bangladesh|bangladesch"},
    {"LK", "sri lanka"},
    {"NP", "nepal"},
    {"SG", "singapore|singapur|singapour"},
    {"HK", "hong kong|hongkong"},
    {"TW", "taiwan"},
    {"ID", "indonesia|indonesien|indonesie"},
    {"MY", "malaysia|malaisie|malasia"},
    {"TH", "thailand|thailande|tailandia"},
    {"VN", "vietnam|viet nam"},
    {"PH", "philippines|philippinen|filipinas"},
    {"AU", "australia|australien|australie"},
    {"NZ", "new zealand|neuseeland|nouvelle zelande|nueva zelanda"},
    {"ZA", "south africa|sudafrika|afrique du sud|sudafrica"},
    {"EG", "egypt|agypten|aegypten|egypte|egipto"},
    {"MA", "morocco|marokko|maroc|marruecos"},
    {"TN", "tunisia|tunesien|tunisie|tunez"},
    {"DZ", "algeria|algerien|algerie|argelia"},
    {"NG", "nigeria"},
    {"KE", "kenya|kenia"},
    {"GH", "ghana"},
    {"ET", "ethiopia|athiopien|ethiopie|etiopia"},
    {"SN", "senegal"},
    {"CI", "cote d ivoire|ivory coast|elfenbeinkuste|costa de marfil"},
    {"CM", "cameroon|kamerun|cameroun|camerun"},
    {"IL", "israel"},
    {"AE", "united arab emirates|uae|vereinigte arabische emirate|emirats arabes unis|"
           "emiratos arabes unidos"},
    {"SA", "saudi arabia|saudi arabien|saudi-arabien|arabie saoudite|arabia saudita|"
           "arabia saudi"},
    {"QA", "qatar|katar"},
    {"KW", "kuwait|koweit"},
    {"BH", "bahrain|bahrein|barein"},
    {"OM", "oman"},
    {"JO", "jordan|jordanien|jordanie|jordania"},
    {"LB", "lebanon|libanon|liban|libano"},
    {"IR", "iran|islamic republic of iran"},
    {"IQ", "iraq|irak"},
    {"SY", "syria|syrien|syrie|siria"},
    {"AF", "afghanistan|afganistan"},
    {"GE", "georgia|georgien|georgie"},
    {"AM", "armenia|armenien|armenie"},
    {"AZ", "azerbaijan|aserbaidschan|azerbaidjan|azerbaiyan"},
    {"KZ", "kazakhstan|kasachstan|kazajistan"},
    {"UZ", "uzbekistan|usbekistan|ouzbekistan"},
};

/* Every name of the table, sorted, built once: lookups are a binary search. */
#define MAX_COUNTRY_NAMES 1024
#define COUNTRY_NAME_LEN  64

static struct country_name {
    char name[COUNTRY_NAME_LEN];
    const char *code;
} country_names[MAX_COUNTRY_NAMES];
static size_t n_country_names;
static pthread_once_t country_once = PTHREAD_ONCE_INIT;

static int country_name_cmp(const void *a, const void *b)
{
    return strcmp(((const struct country_name *)a)->name, ((const struct country_name *)b)->name);
}

static void country_index_build(void)
{
    for (size_t i = 0; i < OA_ARRAY_LEN(COUNTRIES); i++) {
        for (const char *p = COUNTRIES[i].names; *p;) {
            const char *e = strchr(p, '|');
            size_t l = e ? (size_t)(e - p) : strlen(p);
            if (l < COUNTRY_NAME_LEN && n_country_names < MAX_COUNTRY_NAMES) {
                memcpy(country_names[n_country_names].name, p, l);
                country_names[n_country_names].name[l] = '\0';
                country_names[n_country_names].code = COUNTRIES[i].code;
                n_country_names++;
            }
            if (!e)
                break;
            p = e + 1;
        }
    }
    qsort(country_names, n_country_names, sizeof *country_names, country_name_cmp);
}

static const char *lookup_country_name(const char *n)
{
    pthread_once(&country_once, country_index_build);
    if (strlen(n) >= COUNTRY_NAME_LEN)
        return NULL;
    size_t lo = 0, hi = n_country_names;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(country_names[mid].name, n);
        if (c == 0)
            return country_names[mid].code;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

const char *uk_country_code(const char *s)
{
    if (!s || !*s)
        return NULL;
    /* A bare code, as many option values are ("DE", "de"); "UK" means GB. */
    size_t len = strlen(s);
    if (len == 2 && isalpha((unsigned char)s[0]) && isalpha((unsigned char)s[1])) {
        char code[3] = {(char)toupper((unsigned char)s[0]), (char)toupper((unsigned char)s[1]), 0};
        if (strcmp(code, "UK") == 0)
            return "GB";
        const char *hit = iso_lookup(code);
        if (hit)
            return hit;
    }
    char *n = uk_norm(s);
    const char *code = lookup_country_name(n);
    if (!code) {
        /* "Germany (+49)", "Deutschland - DE": drop a parenthesised tail or a trailing code
         * word, then try again. */
        char *t = xstrdup(s);
        char *paren = strchr(t, '(');
        if (paren)
            *paren = '\0';
        char *tn = uk_norm(t);
        code = lookup_country_name(tn);
        size_t tl = strlen(tn);
        if (!code && tl > 3 && tn[tl - 3] == ' ') {
            tn[tl - 3] = '\0';
            code = lookup_country_name(tn);
        }
        free(tn);
        free(t);
    }
    free(n);
    return code && uk_country_code_valid(code) ? code : NULL;
}

/* ---- placeholders, EEO ------------------------------------------------------------------ */

static const char *const PLACEHOLDER[] = {"please select",
                                          "please choose",
                                          "please pick",
                                          "select",
                                          "choose",
                                          "pick one",
                                          "make a selection",
                                          "none selected",
                                          "nothing selected",
                                          "bitte wahlen",
                                          "bitte auswahlen",
                                          "bitte wahle",
                                          "bitte auswahl",
                                          "bitte eine option",
                                          "auswahlen",
                                          "wahlen sie",
                                          "wahle",
                                          "wahlen",
                                          "auswahl treffen",
                                          "selectionnez",
                                          "selectionner",
                                          "veuillez selectionner",
                                          "veuillez choisir",
                                          "choisissez",
                                          "choisir",
                                          "faites un choix",
                                          "seleccione",
                                          "selecciona",
                                          "seleccionar",
                                          "elija",
                                          "elige",
                                          "escoja",
                                          "escoge",
                                          "por favor seleccione",
                                          "por favor selecciona",
                                          NULL};

bool uk_is_placeholder_option(const char *label)
{
    char *n = uk_norm(label);
    bool ph = !*n || starts_with_any(n, PLACEHOLDER);
    free(n);
    return ph;
}

/* Always EEO. */
static const char *const EEO_TOPIC[] = {"racial",
                                        "race ethnicity",
                                        "ethnicity",
                                        "ethnic*",
                                        "protected veteran*",
                                        "veteran status",
                                        "disability status",
                                        "hispanic*",
                                        "latino*",
                                        "latinx",
                                        "sexual orientation",
                                        "transgender",
                                        "lgbt*",
                                        "self identif*",
                                        "self identity",
                                        "eeo",
                                        "eeoc",
                                        "equal employment*",
                                        "ofccp",
                                        NULL};
/* EEO in a short label only ("Race", "Veteran?"; not "the race condition you fixed"). */
static const char *const EEO_TOPIC_SHORT[] = {"race",         "veteran*", "disability",
                                              "disabilities", "disabled", NULL};
static const char *const EEO_SECTION[] = {"voluntary self*",
                                          "self identif*",
                                          "self identify",
                                          "equal employment*",
                                          "equal opportunit*",
                                          "eeo",
                                          "eeoc",
                                          "diversity",
                                          "demographic*",
                                          "voluntary disclosure*",
                                          "voluntary information",
                                          "voluntary questions",
                                          "ofccp",
                                          NULL};

bool uk_is_eeo_topic(const char *label)
{
    char *n = uk_norm(label);
    bool r = has_any(n, EEO_TOPIC) || (uk_word_count(n) <= 6 && has_any(n, EEO_TOPIC_SHORT));
    free(n);
    return r;
}

bool uk_is_eeo_section(const char *label)
{
    char *n = uk_norm(label);
    bool r = has_any(n, EEO_SECTION) || has_any(n, EEO_TOPIC) ||
             (uk_word_count(n) <= 6 && has_any(n, EEO_TOPIC_SHORT));
    free(n);
    return r;
}

/* ---- form kinds ------------------------------------------------------------------------- */

static const char *const APPLY_WORDS[] = {"apply*",
                                          "application*",
                                          "applicationform",
                                          "jobapp*",
                                          "job app*",
                                          "bewerb*",
                                          "postuler",
                                          "postulez",
                                          "candidature*",
                                          "candidater",
                                          "candidatez",
                                          "postular",
                                          "postula*",
                                          "solicitud*",
                                          "aplicar",
                                          "inscripcion",
                                          "candidatura*",
                                          "resume",
                                          "cv",
                                          "lebenslauf",
                                          "send application",
                                          "submit application",
                                          NULL};
static const char *const SEARCH_WORDS[] = {"search*",      "suche",      "suchen",     "jobsuche",
                                           "stellensuche", "recherche*", "rechercher", "buscar",
                                           "busqueda",     "buscador",   "q",          "query",
                                           "keyword*",     "stichwort*", "find jobs",  "find a job",
                                           "filter*",      "sort*",      NULL};
static const char *const NEWSLETTER_WORDS[] = {
    "newsletter*",    "subscribe*", "subscription*",  "abonnieren", "abonnement",   "abonner",
    "inscrivez vous", "suscrib*",   "job alert*",     "jobalert*",  "job agent*",   "jobagent*",
    "job mail*",      "jobmail*",   "alerte*",        "alertas",    "mailing list", "stay in touch",
    "stay informed",  "notify me",  "benachrichtig*", NULL};
static const char *const LOGIN_WORDS[] = {
    "login",          "log in",     "sign in",   "signin",
    "anmelden",       "einloggen",  "connexion", "se connecter",
    "iniciar sesion", "acceder",    "password",  "passwort",
    "mot de passe",   "contrasena", "register",  "registrieren",
    "create account", "forgot*",    NULL};
static const char *const CONTACT_WORDS[] = {"contact*",       "kontakt*",     "contacto",
                                            "nous contacter", "get in touch", "feedback",
                                            "comment*",       "reply",        NULL};
static const char *const BANNER_WORDS[] = {
    "cookie*",  "consent banner", "cookiebanner", "gdpr banner", "cmp",
    "onetrust", "usercentrics",   "cookiebot",    NULL};

bool uk_is_apply_word(const char *norm)
{
    return has_any(norm, APPLY_WORDS);
}
bool uk_is_search_word(const char *norm)
{
    return has_any(norm, SEARCH_WORDS);
}
bool uk_is_newsletter_word(const char *norm)
{
    return has_any(norm, NEWSLETTER_WORDS);
}
bool uk_is_login_word(const char *norm)
{
    return has_any(norm, LOGIN_WORDS);
}
bool uk_is_contact_word(const char *norm)
{
    return has_any(norm, CONTACT_WORDS);
}
bool uk_is_consent_banner_word(const char *norm)
{
    return has_any(norm, BANNER_WORDS);
}

/* ---- page texts ------------------------------------------------------------------------- */

static const char *const CLOSED[] = {
    /* EN */
    "no longer available", "no longer accepting applications", "no longer accepting",
    "not accepting applications", "not currently accepting applications", "no longer open",
    "no longer active", "no longer listed", "position has been filled", "position is filled",
    "position filled", "role has been filled", "role is filled", "job has been filled",
    "vacancy has been filled", "vacancy is filled", "this job is closed", "job is closed",
    "job has closed", "job closed", "position is closed", "position has been closed",
    "position closed", "posting is closed", "posting has closed", "posting has expired",
    "job has expired", "job posting has expired", "job posting is closed", "this job has expired",
    "listing has expired", "vacancy has expired", "vacancy is closed", "vacancy closed",
    "applications are closed", "applications have closed", "applications closed",
    "application period has ended", "application deadline has passed", "job offer has expired",
    "position has expired", "job is no longer", "position is no longer", "role is no longer",
    "job not found", "job posting not found", "position not found",
    /* DE */
    "nicht mehr verfugbar", "nicht mehr verfuegbar", "bereits besetzt", "wurde besetzt",
    "ist besetzt", "stelle ist leider besetzt", "nicht mehr aktiv", "nicht mehr online",
    "nicht mehr ausgeschrieben", "nicht mehr vakant", "nicht mehr zu besetzen", "nicht mehr offen",
    "ausschreibung ist beendet", "ausschreibung wurde beendet", "ausschreibung ist abgelaufen",
    "bewerbungsfrist ist abgelaufen", "bewerbungsfrist abgelaufen", "bewerbungsfrist ist beendet",
    "stellenanzeige ist abgelaufen", "stellenangebot ist abgelaufen", "anzeige ist abgelaufen",
    "stellenanzeige ist nicht mehr", "stellenangebot ist nicht mehr", "keine bewerbungen mehr",
    "stelle ist nicht mehr", "stelle wurde bereits", "position ist nicht mehr",
    "job ist nicht mehr", "nicht mehr besetzt werden",
    /* FR */
    "n est plus disponible", "n est plus d actualite", "offre expiree", "offre a expire",
    "offre est expiree", "annonce expiree", "annonce a expire", "annonce est expiree",
    "poste a ete pourvu", "poste est pourvu", "poste pourvu", "offre pourvue", "offre n est plus",
    "annonce n est plus", "n est plus en ligne", "n est plus active", "candidatures sont closes",
    "candidatures closes", "candidatures sont cloturees", "offre est cloturee", "offre cloturee",
    "offre est fermee", "offre fermee", "recrutement est termine", "n accepte plus de candidatures",
    "n accepte plus les candidatures", "offre introuvable",
    /* ES */
    "ya no esta disponible", "ya no se encuentra disponible", "vacante cerrada",
    "vacante ha sido cubierta", "vacante esta cerrada", "vacante ha expirado",
    "puesto ha sido cubierto", "puesto cubierto", "puesto ya no", "oferta ha expirado",
    "oferta expirada", "oferta cerrada", "oferta esta cerrada", "oferta ha caducado",
    "oferta caducada", "oferta ya no", "oferta no esta disponible", "oferta ha finalizado",
    "oferta finalizada", "proceso cerrado", "proceso de seleccion ha finalizado",
    "proceso de seleccion esta cerrado", "ya no acepta candidaturas", "ya no se aceptan",
    "convocatoria cerrada", "convocatoria ha finalizado", "empleo ya no", NULL};

bool uk_is_closed_text(const char *norm, const char **phrase)
{
    const char *p = first_of(norm, CLOSED);
    if (phrase)
        *phrase = p;
    return p != NULL;
}

static const char *const SUCCESS[] = {"thank you",
                                      "thanks for applying",
                                      "thanks for your application",
                                      "thank you for applying",
                                      "application received",
                                      "application has been received",
                                      "received your application",
                                      "application was submitted",
                                      "application has been submitted",
                                      "successfully submitted",
                                      "successfully applied",
                                      "application submitted",
                                      "application was sent",
                                      "application has been sent",
                                      "we will be in touch",
                                      "we ll be in touch",
                                      "vielen dank",
                                      "danke fur ihre bewerbung",
                                      "danke fuer ihre bewerbung",
                                      "danke fur deine bewerbung",
                                      "bewerbung ist eingegangen",
                                      "bewerbung ist bei uns eingegangen",
                                      "bewerbung wurde erfolgreich",
                                      "bewerbung wurde ubermittelt",
                                      "bewerbung wurde versendet",
                                      "bewerbung wurde gesendet",
                                      "erfolgreich ubermittelt",
                                      "erfolgreich versendet",
                                      "erfolgreich gesendet",
                                      "erfolgreich abgeschickt",
                                      "erfolgreich eingereicht",
                                      "merci",
                                      "candidature a bien ete",
                                      "candidature a ete envoyee",
                                      "candidature a ete transmise",
                                      "candidature envoyee",
                                      "candidature bien recue",
                                      "bien recu votre candidature",
                                      "avons bien recu",
                                      "gracias",
                                      "hemos recibido",
                                      "solicitud ha sido enviada",
                                      "solicitud enviada",
                                      "candidatura enviada",
                                      "candidatura ha sido enviada",
                                      "candidatura ha sido recibida",
                                      "postulacion enviada",
                                      "postulacion ha sido enviada",
                                      "postulacion fue enviada",
                                      "enviado correctamente",
                                      "enviada correctamente",
                                      "recibido tu",
                                      "recibido su",
                                      NULL};

bool uk_is_success_text(const char *norm, const char **phrase)
{
    const char *p = first_of(norm, SUCCESS);
    if (phrase)
        *phrase = p;
    return p != NULL;
}

static const char *const ERROR_WORDS[] = {"error*",
                                          "errors",
                                          "invalid",
                                          "required",
                                          "must",
                                          "please enter",
                                          "please provide",
                                          "please select",
                                          "please fill",
                                          "please correct",
                                          "please upload",
                                          "please choose",
                                          "please check",
                                          "is missing",
                                          "cannot be blank",
                                          "can t be blank",
                                          "cannot be empty",
                                          "not valid",
                                          "too long",
                                          "too short",
                                          "failed",
                                          "fehler*",
                                          "ungultig*",
                                          "erforderlich",
                                          "pflichtfeld",
                                          "pflicht*",
                                          "bitte geben",
                                          "bitte fullen",
                                          "bitte wahlen",
                                          "bitte laden",
                                          "bitte uberprufen",
                                          "fehlt",
                                          "darf nicht leer",
                                          "erreur*",
                                          "invalide",
                                          "obligatoire",
                                          "requis",
                                          "veuillez",
                                          "incorrect*",
                                          "manquant*",
                                          "ne peut pas etre vide",
                                          "invalido",
                                          "obligatorio",
                                          "requerido",
                                          "por favor",
                                          "incorrecto",
                                          "no es valido",
                                          "no puede estar vacio",
                                          "falta",
                                          NULL};

bool uk_is_error_text(const char *norm)
{
    return has_any(norm, ERROR_WORDS);
}

static const char *const HONEYPOT_TEXT[] = {"leave this field empty",
                                            "leave this field blank",
                                            "leave blank",
                                            "leave empty",
                                            "leave this empty",
                                            "leave this blank",
                                            "do not fill*",
                                            "don t fill*",
                                            "if you are human",
                                            "if you re human",
                                            "not fill this",
                                            "should be left empty",
                                            "should be left blank",
                                            "bitte leer lassen",
                                            "leer lassen",
                                            "nicht ausfullen",
                                            "laisser vide",
                                            "laissez ce champ vide",
                                            "laisser ce champ vide",
                                            "ne pas remplir",
                                            "ne remplissez pas",
                                            "dejar en blanco",
                                            "deje este campo vacio",
                                            "dejar vacio",
                                            "no rellenar",
                                            "no completar",
                                            "left unchanged",
                                            "validation purposes",
                                            "unverandert lassen",
                                            "nicht verandern",
                                            NULL};

bool uk_is_honeypot_text(const char *norm)
{
    return has_any(norm, HONEYPOT_TEXT);
}

static const char *const HONEYPOT_NAMES[] = {
    "honeypot*", "honey*",    "hp",       "trap",      "bot",       "botcheck", "bot check",
    "bot field", "spam*",     "nospam",   "website",   "url",       "homepage", "leave blank",
    "fax only",  "fax",       "nickname", "address 3", "ohnohoney", "pot",      "gotcha",
    "antispam",  "anti spam", "captcha",  NULL};

bool uk_is_honeypot_name(const char *name)
{
    char *w = uk_name_words(name);
    bool r = has_any(w, HONEYPOT_NAMES);
    free(w);
    return r;
}
