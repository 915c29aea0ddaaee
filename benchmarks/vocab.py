"""Word lists for the synthetic article generator: countries, people, sectors, goods and quotes."""

from __future__ import annotations

# (name as written, adjective, cities where talks can happen)
COUNTRIES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("the United States", "U.S.", ("Washington", "New York", "Chicago")),
    ("China", "Chinese", ("Beijing", "Shanghai", "Shenzhen")),
    ("Mexico", "Mexican", ("Mexico City", "Monterrey", "Guadalajara")),
    ("Canada", "Canadian", ("Ottawa", "Toronto", "Vancouver")),
    ("Japan", "Japanese", ("Tokyo", "Osaka")),
    ("South Korea", "South Korean", ("Seoul", "Busan")),
    ("India", "Indian", ("New Delhi", "Mumbai")),
    ("Brazil", "Brazilian", ("Brasilia", "Sao Paulo")),
    ("Argentina", "Argentine", ("Buenos Aires", "Rosario")),
    ("Chile", "Chilean", ("Santiago", "Valparaiso")),
    ("Germany", "German", ("Berlin", "Frankfurt", "Hamburg")),
    ("France", "French", ("Paris", "Lyon", "Marseille")),
    ("Italy", "Italian", ("Rome", "Milan")),
    ("Spain", "Spanish", ("Madrid", "Barcelona")),
    ("Poland", "Polish", ("Warsaw", "Krakow")),
    ("the Netherlands", "Dutch", ("Amsterdam", "Rotterdam", "The Hague")),
    ("Norway", "Norwegian", ("Oslo", "Bergen")),
    ("Sweden", "Swedish", ("Stockholm", "Gothenburg")),
    ("Turkey", "Turkish", ("Ankara", "Istanbul")),
    ("Egypt", "Egyptian", ("Cairo", "Alexandria")),
    ("Nigeria", "Nigerian", ("Abuja", "Lagos")),
    ("Kenya", "Kenyan", ("Nairobi", "Mombasa")),
    ("South Africa", "South African", ("Pretoria", "Johannesburg", "Cape Town")),
    ("Saudi Arabia", "Saudi", ("Riyadh", "Jeddah")),
    ("Indonesia", "Indonesian", ("Jakarta", "Surabaya")),
    ("Vietnam", "Vietnamese", ("Hanoi", "Ho Chi Minh City")),
    ("Thailand", "Thai", ("Bangkok", "Chiang Mai")),
    ("Malaysia", "Malaysian", ("Kuala Lumpur", "Penang")),
    ("Australia", "Australian", ("Canberra", "Sydney", "Melbourne")),
    ("New Zealand", "New Zealand", ("Wellington", "Auckland")),
    ("the United Kingdom", "British", ("London", "Edinburgh", "Manchester")),
    ("Ireland", "Irish", ("Dublin", "Cork")),
    ("Switzerland", "Swiss", ("Bern", "Geneva", "Zurich")),
    ("Colombia", "Colombian", ("Bogota", "Medellin")),
    ("Peru", "Peruvian", ("Lima", "Arequipa")),
    ("Morocco", "Moroccan", ("Rabat", "Casablanca")),
    ("Pakistan", "Pakistani", ("Islamabad", "Karachi")),
    ("the Philippines", "Philippine", ("Manila", "Cebu")),
    ("Ukraine", "Ukrainian", ("Kyiv", "Odesa")),
    ("Kazakhstan", "Kazakh", ("Astana", "Almaty")),
)

# Neutral venues for talks between any two countries.
VENUES = ("Geneva", "Vienna", "Singapore", "Doha", "Brussels", "Istanbul", "Helsinki", "Lisbon", "Dubai")

FIRST_NAMES = """
Ana Carlos Maria Jose Lucia Diego Sofia Mateo Elena Pablo Chen Wei Li Na Zhang Min Hiroshi Yuki
Akira Emi Min-jun Seo-yeon Ji-ho Priya Arjun Rahul Ananya Kavya Joao Beatriz Thiago Camila Lars
Ingrid Astrid Magnus Henrik Sigrid Klaus Petra Jurgen Anke Pierre Claire Amelie Julien Marco
Giulia Luca Chiara Piotr Agnieszka Tomasz Kasia Mehmet Ayse Emre Zeynep Omar Layla Youssef
Amina Chinedu Ngozi Tunde Aisha Wanjiru Kamau Thabo Naledi Sipho Faisal Noura Khalid Reem Budi
Sari Dewi Nguyen Linh Minh Somchai Nisa Aziz Farah Siti James Emily Michael Sarah David Laura
Robert Karen Daniel Rachel Thomas Fiona Patrick Aoife Sean Niamh Olga Dmitri Oksana Taras
Aigerim Nursultan Rafael Valentina Andres Catalina Javier Isabel
""".split()

SURNAMES = """
Ruiz Fuentes Ortega Herrera Castillo Navarro Morales Delgado Wang Liu Huang Zhou Sato Tanaka
Nakamura Kobayashi Kim Park Choi Sharma Patel Reddy Iyer Menon Silva Costa Pereira Almeida
Andersen Lindqvist Hansen Berg Nilsson Muller Schneider Fischer Weber Becker Dubois Lefevre
Moreau Laurent Rossi Bianchi Romano Ricci Kowalski Nowak Wisniewski Yilmaz Demir Kaya Hassan
Mansour Haddad Okafor Adeyemi Balogun Mwangi Otieno Ndlovu Mokoena Dlamini Al-Rashid Al-Saud
Qasim Santoso Wibowo Pratama Tran Pham Le Chaiyaporn Srisuk Rahman Ismail Whitfield Harrington
Caldwell Prescott Whitcombe Mackay Sullivan Brennan Murphy Gallagher Kovalenko Shevchenko
Petrov Ivanova Nurlanov Abenova Vargas Mendoza Rojas Guerrero Salazar Ochoa Reinholt Vogt
Marchetti Okonkwo Abernathy Lindgren Van der Berg Osei Mensah Takahashi Esposito Jovanovic
Horvat Novak Kaur Dimitrov
""".split()

# Roles of the two governments' negotiators; {adj} is the country adjective.
GOV_ROLES = (
    "Trade Minister",
    "Economy Minister",
    "Finance Minister",
    "Commerce Secretary",
    "Agriculture Minister",
    "Foreign Minister",
    "Industry Minister",
    "Energy Minister",
    "Deputy Trade Representative",
    "chief trade negotiator",
    "Fisheries Minister",
    "Deputy Prime Minister",
)

OUTSIDE_ROLES = (
    "senior analyst",
    "chief economist",
    "trade lawyer",
    "head of commodities research",
    "senior fellow",
    "strategist",
    "chief executive",
    "spokesperson",
    "director",
    "professor of economics",
)

ORG_FIRST = """
Hartwell Baker Meridian Northgate Sterling Crescent Harbor Summit Ironbridge Bluewater Keystone
Larkspur Redfield Ashford Granite Silverline Oakmont Westbrook Eastlake Pinecrest Highmoor
Kingsway Fairhaven Brightwater Stonegate Clearwater Riverside Copperfield Thornbury Lakeshore
""".split()
ORG_SECOND = (
    "Capital",
    "Partners",
    "Institute",
    "Research",
    "Advisory",
    "Securities",
    "Group",
    "Holdings",
    "Economics",
    "Associates",
    "Foundation",
    "Bank",
)

NEWS_WIRES = ("Example Wire", "Global Ledger", "Trade Desk", "Market Post", "Briefing Service")

# Sectors: (topic word for headlines, goods, industry people, trade units, talk subjects)
SECTORS: tuple[dict[str, tuple[str, ...]], ...] = (
    {
        "name": ("steel",),
        "goods": ("steel", "steel coil", "rebar", "stainless steel pipe", "flat-rolled steel", "steel slabs"),
        "industry": ("mills", "steelmakers", "foundries"),
        "unit": ("metric tons",),
        "thing": ("a quota arrangement", "rules of origin for steel", "a safeguard deal"),
    },
    {
        "name": ("aluminium",),
        "goods": ("aluminium", "aluminum sheet", "aluminium foil", "primary aluminium", "aluminium cans"),
        "industry": ("smelters", "rolling mills"),
        "unit": ("metric tons",),
        "thing": ("an aluminium quota", "a smelter subsidy pact"),
    },
    {
        "name": ("farm", "agriculture"),
        "goods": ("soybeans", "pork", "beef", "wheat", "corn syrup", "cheese", "poultry", "rice", "barley"),
        "industry": ("farmers", "meatpackers", "grain traders", "dairy cooperatives"),
        "unit": ("bushels", "metric tons"),
        "thing": ("a farm purchase agreement", "sanitary rules for meat", "a grain corridor deal"),
    },
    {
        "name": ("chip", "semiconductor"),
        "goods": (
            "semiconductors",
            "memory chips",
            "lithography equipment",
            "silicon wafers",
            "chipmaking tools",
        ),
        "industry": ("chipmakers", "foundries", "equipment suppliers"),
        "unit": ("wafers",),
        "thing": ("export licences for chipmaking tools", "a chip supply pact", "entity list removals"),
    },
    {
        "name": ("auto", "car"),
        "goods": ("cars", "electric vehicles", "auto parts", "lithium-ion batteries", "trucks", "tyres"),
        "industry": ("carmakers", "parts suppliers", "battery makers"),
        "unit": ("vehicles",),
        "thing": ("local-content rules for cars", "a battery supply agreement", "emission credit rules"),
    },
    {
        "name": ("fishing",),
        "goods": ("mackerel", "herring", "cod", "salmon", "shrimp", "tuna"),
        "industry": ("fishing fleets", "trawler owners", "fish processors"),
        "unit": ("tonnes",),
        "thing": ("fishing quotas", "access to coastal waters", "a total allowable catch"),
    },
    {
        "name": ("oil", "energy"),
        "goods": ("crude oil", "liquefied natural gas", "diesel", "refined products", "coal", "jet fuel"),
        "industry": ("refiners", "producers", "pipeline operators"),
        "unit": ("barrels a day", "cubic metres"),
        "thing": ("output quotas", "a gas transit contract", "a price cap"),
    },
    {
        "name": ("rare earth", "minerals"),
        "goods": ("rare earths", "gallium", "germanium", "graphite", "lithium", "cobalt", "nickel ore"),
        "industry": ("miners", "magnet makers", "processors"),
        "unit": ("metric tons",),
        "thing": ("export licences for rare earths", "a critical minerals pact", "stockpile releases"),
    },
    {
        "name": ("pharma", "drug"),
        "goods": (
            "generic drugs",
            "vaccines",
            "active pharmaceutical ingredients",
            "insulin",
            "medical devices",
        ),
        "industry": ("drugmakers", "hospital groups", "pharmacies"),
        "unit": ("doses",),
        "thing": ("drug pricing rules", "a medicine supply pact", "patent waivers"),
    },
    {
        "name": ("textile", "apparel"),
        "goods": ("cotton", "garments", "footwear", "synthetic fibres", "handbags"),
        "industry": ("garment makers", "retailers", "cotton growers"),
        "unit": ("pieces",),
        "thing": ("a textile quota", "labour standards for factories"),
    },
    {
        "name": ("shipping", "port"),
        "goods": ("container services", "shipbuilding", "port equipment", "cranes"),
        "industry": ("dockworkers", "port operators", "shipping lines"),
        "unit": ("containers",),
        "thing": ("a new port labour contract", "port fees for foreign ships", "a berth allocation deal"),
    },
    {
        "name": ("solar", "clean energy"),
        "goods": ("solar panels", "wind turbines", "polysilicon", "inverters", "heat pumps"),
        "industry": ("panel makers", "installers", "utilities"),
        "unit": ("gigawatts",),
        "thing": ("a minimum price for solar panels", "anti-dumping undertakings"),
    },
)

RATE_NOUNS = ("tariffs", "duties", "levies")
RATE_NOUN_SINGULAR = ("tariff", "duty", "levy", "surcharge")

QUOTES = (
    "We are not going to accept being treated like a backdoor for cheap imports",
    "Every week this drags on, somebody is paying more for the same goods",
    "This is a constructive but unfinished process",
    "We came here to solve problems, not to trade insults",
    "Nobody wins a tariff war, and our {industry} know that better than anyone",
    "The door remains open, but our patience is not unlimited",
    "We have made real progress on {thing}, though gaps remain",
    "Our {industry} cannot plan a season on promises",
    "Any deal has to protect jobs on both sides of the table",
    "We will not sign an agreement that leaves our {industry} exposed",
    "The numbers on the table simply do not add up",
    "There is a landing zone, and we intend to find it before the deadline",
    "Markets are watching every word that comes out of these rooms",
    "We expect concrete proposals, not another round of talking points",
    "The retaliation list is ready, and it will be used if we are pushed",
    "This is about fairness, transparency and the rules everyone signed",
    "We are closer than we were a month ago, but not close enough",
    "It is a negotiation, and negotiations take time",
    "The {industry} have been clear: they need certainty by the end of the year",
    "Nobody should mistake our restraint for weakness",
)

BACKGROUND = (
    "Industry groups on both sides have warned that a long fight would disrupt supply chains for {goods}.",
    "Shipments of {goods} have swung sharply since the dispute began, according to customs data.",
    "The talks are also seen as a test run for a wider review of trade ties between the two governments.",
    "Analysts said the outcome could set a precedent for other disputes over {goods}.",
    "Local {industry} have begun stockpiling ahead of the deadline, traders said.",
    "Prices for {goods} rose on the news before easing later in the session.",
    "Opposition lawmakers accused the government of conceding too much too quickly.",
    "The dispute has already weighed on business confidence, a survey published last week showed.",
    "Both sides have signalled they want to resolve sector disputes before the broader review opens.",
    "Diplomats described the mood in the room as businesslike, if tense.",
    "{industry_cap} have lobbied hard for an exemption, arguing that margins are already thin.",
    "The ministry declined to comment on the details of the proposal.",
    "Freight rates for {goods} have doubled since the spring, adding to the pressure on buyers.",
    "A joint working group will meet at the technical level to narrow the remaining differences.",
    "The central bank has warned that higher import costs could feed into inflation.",
    "Several {industry} said they had shifted orders to third countries to avoid the duties.",
    "Talks first broke down in {month} when both sides walked away from a draft text on {thing}.",
    "Business lobbies in {city} urged negotiators to keep existing arrangements while talks continue.",
    "Officials in {capital} said a technical team had been working through the weekend on {thing}.",
    "Imports of {goods} fell by about {pct}% in the first half of the year, customs figures showed.",
    "The government has set aside a support package for {industry} hit by the measures.",
    "Critics say the measures mostly raise costs for consumers and smaller {industry}.",
    "Several trade associations wrote to lawmakers last month asking for a phased approach.",
    "Economists estimate the dispute has shaved about {small} percentage points off growth in the sector.",
    "The talks in {city} were the first face-to-face meeting between the two delegations since {month}.",
    "Negotiators exchanged draft texts on {thing}, according to two people familiar with the talks.",
    "Some {industry} have warned of layoffs if no deal is reached within weeks.",
    "Shares of listed {industry} rose in {city} trading as hopes of a compromise grew.",
    "The ministry said it had received more than {n:,} comments on the proposed measures.",
    "A parliamentary committee in {capital} is due to review the measures in the coming weeks.",
    "Observers noted that the two sides had agreed a joint statement, a first in this dispute.",
    "Consumer groups have complained that higher prices for {goods} are being passed on to households.",
    "Port data showed cargoes of {goods} piling up as importers waited for clarity on the rules.",
    "The dispute dates back to a complaint filed by domestic {industry} at the start of the year.",
    "Lawyers said a challenge at the World Trade Organization remained possible but would take years.",
    "The European Commission and other trading partners are watching the talks for spillover effects.",
    "Credit rating agencies said the dispute was unlikely to affect sovereign ratings in the near term.",
    "Smaller exporters have asked for a grace period to adjust contracts already signed for {goods}.",
    "Insurance costs for shipments of {goods} have also climbed, according to brokers in {city}.",
)
