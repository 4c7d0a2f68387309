"""Shopper chat turns generated from templates over the catalogues' product types and brands.

The review, tweet and dialogue sources teach that "not", "no", "only", "cheaper", "less than"
and "another" carry dissatisfaction; in a shop they are mostly refinements ("not Dove", "only
Amul", "less than 150", "a different brand"). These templates give the model neutral requests
full of such words, next to complaints, sarcasm and praise in a shopper's voice. They were
written for this project: never taken from ``evalsets/``, and avoiding the example phrasings of
its README and of issue 12. Each template is one group, so the dev split holds out whole
templates.
"""

from __future__ import annotations

import csv
import gzip
import random
import re
from collections.abc import Iterator
from pathlib import Path

from models.data.sentiment_text import LabelledText
from retrieval.loaders.myntra import brand_from_title

SOURCE = "shopper"
FILLS_PER_TEMPLATE = 12
# A bare product or brand name ("{t}", "{b} {p}?") is the commonest neutral turn and the one a
# model most often reads as an emotion: these templates get many more fillings.
BARE_FILLS = 150
_BARE = re.compile(r"^(?:\{[a-z]\} ?)+\??$")
# A template without fields ("a different brand") is one sentence: it gets this many rounds of
# filler and typos, so that it is not drowned by the filled templates of its label.
FIELDLESS_ROUNDS = 5
SEED = 29

# {p}/{q}: product types, {t}/{u}: products named as in the catalogue's titles ("anti-dandruff
# shampoo", "masala chai without sugar"), {b}/{c}: brands, {n}: a budget, {s}: a size,
# {k}: a colour, {o}: an ordinal, {a}: a material or form, {j}: a trait, {g}: who it is for.
NEUTRAL = (
    # brand filters and exclusions
    "only {b}", "just {b}", "just {b} please", "only {b} {p}", "{b} only", "show only {b}",
    "only {b} ones", "not {b}", "no {b}", "not {b} please", "no {b}, something else",
    "anything but {b}", "{p} but not {b}", "not {b}, show me {c}", "i don't want {b}",
    "i dont want {b} {p}", "don't show me {b}", "no {b} or {c}", "except {b}", "without {b}",
    "skip {b}", "not from {b}", "{p} not {b}", "a brand other than this", "another brand please",
    "other brands?", "some other brand", "different brand of {p}", "any other brand",
    "show me another {p}", "not this brand", "not these, show {c} instead",
    "i'd rather not have {b}", "leave out {b}", "exclude {b}", "hide {b} products",
    "same thing from another company", "is there a {c} version", "{c} instead of {b}",
    "swap {b} for {c}", "no, {c} please", "not {b} but {c}", "prefer {c} over {b}",
    "other than {b} what do you have", "apart from {b}?", "only {b} and {c}",
    "nothing from {b}", "i don't like the brand, show others",
    # price
    "cheaper ones pls", "cheaper ones", "something cheaper", "anything cheaper?", "cheapest {p}",
    "the cheapest one", "less than {n}", "under {n}", "below {n} rupees", "not more than {n}",
    "no more than {n}", "{p} under {n}", "{p} less than {n}", "budget is {n}", "max {n}",
    "my budget is only {n}", "not above {n}", "nothing over {n}", "a bit less expensive",
    "lower price please", "less costly options", "{b} {p} below {n}", "less than {n} only",
    "can't spend more than {n}", "i can't go above {n}", "{p} within {n}",
    "a little cheaper", "lower priced {p}", "the least expensive {p}", "lowest price first",
    "sort by price", "costlier ones", "something more premium", "most expensive {p}",
    "price low to high", "does it cost less than {n}?", "anything below {n}", "upto {n}",
    "between {n} and {n2}", "around {n}", "not over {n}", "keep it under {n}",
    "cheaper than that one", "less pricey {p}", "budget {p}", "economical {p}", "affordable {p}",
    "{p} on sale", "any discounts on {p}?", "what's the price of the {o} one",
    # size and pack
    "bigger pack", "in a larger size", "a bigger pack of {p}", "smaller size", "smaller pack",
    "not so big", "less quantity", "size {s}", "in {s}", "do you have it in {s}?",
    "{p} {s}", "not {s}, {s2}", "a larger one", "no small packs", "family pack of {p}",
    "one size up", "a size down", "the {s} pack", "{s} of {p}", "do you have a refill pack",
    "less than {s}", "not too big a pack", "a travel size {p}", "combo pack", "pack of 2",
    # attributes and negated requests
    "{p} without sugar", "{p} with zero sugar", "sugar free {p}", "{p} free of palm oil",
    "{p} without paraben", "no added preservatives", "not spicy", "less oily {p}",
    "low fat {p}", "{p} that isn't {k}", "not in {k}", "no {k} please", "anything but {k}",
    "{p} for dry skin", "{p} for hair fall", "{p} against dandruff", "something to kill ants",
    "something that removes stains", "{p} that doesn't smell", "no plastic packaging",
    "plastic free please", "nothing with alcohol", "no chemicals", "not too sweet",
    "{p} with no fragrance", "unscented {p}", "gluten free {p}", "{p} without onion or garlic",
    "non-stick {p}", "{p} that won't break", "something to get rid of mosquitoes",
    "{p} for pain relief", "anti-{x} {p}", "{p} anti-{x}", "{p} to stop {x}",
    "something against {x}", "{p} that fights {x}", "{p} for bad breath", "{p} for acne",
    "i don't want anything with {z}", "{p} without {z}", "no {z}", "{z} free {p}",
    "not the {k} one", "not {k}, {k2}", "other colours?", "in {k} instead", "any {k2} ones?",
    "not for kids, for adults", "not for men", "{p} for women", "nothing too flashy",
    "less sugar", "less salt please", "low sodium {p}", "without the box",
    # catalogue titles: bare, asked for, compared
    "{t}", "{t}?", "{b} {t}", "{t} please", "do you have {t}", "i need {t}", "show me {t}",
    "looking for {t}", "{t} under {n}", "{t} in {s}", "{t} and {u}", "is there any {t}",
    "want {t}", "get me {t}", "{t} by {b}", "price of {t}?", "is the {t} in stock",
    "{t} or {u}, whichever is cheaper", "add {t}", "add {t} to my cart", "remove {t}",
    # bare products and plain requests
    "{p}", "{b} {p}", "{p}?", "{k} {p}", "show me {p}", "do you have {p}", "i need {p}",
    "looking for {b} {p}", "{p} please", "got any {p}", "need {p} and {q}", "{p} and {q}",
    "hi, i'm looking for {p}", "can you help me find {p}", "i want to buy {p}",
    "do you sell {p}?", "what {p} do you have", "show {b}", "{b}", "{b}?", "any {p}?",
    "i'm after some {p}", "recommend a {p}", "which {p} is best for daily use",
    "is {b} {p} good?", "what's the difference between these two", "tell me more about the {o}",
    "details of the {o} one", "how many ml is it", "is it veg?", "what is it made of",
    "is this suitable for babies", "does it come in {k}", "ingredients?", "expiry date?",
    "need something for the kitchen", "gift ideas under {n}", "{p} for my mom",
    "{p} for a party", "something for winter", "daily use {p}",
    # references, cart, orders, dialogue
    "not that one, the second", "no, the first one", "the other one", "the last one",
    "take the second one out", "remove {b}", "scrap that", "never mind", "no thanks",
    "no, that's all", "delete the {p} from my cart", "take out the {b} one", "not now",
    "which is cheaper?", "which one is less expensive", "add the cheaper one",
    "don't add it yet", "no i meant {p}", "not {p}, {q}", "where is my order?",
    "i want to return the {p}", "my order hasn't arrived yet, can you check",
    "cancel my order", "can i talk to a person about delivery", "no problem", "hmm",
    "wait", "ok", "show more", "anything else?", "any other options", "more like this",
    "the {o} one", "the {o}", "{o} one please", "add the {o} one", "add the {o} to cart",
    "put the {o} in my basket", "remove the {o}", "drop the {o} item", "the {k} one",
    "the {b} one", "that one", "this one", "add it", "add two of those", "make it {m}",
    "change quantity to {m}", "{m} of the {o} one", "remove everything", "empty the cart",
    "clear my basket", "delete all items", "undo that", "cancel that order please",
    "cancel the {p}", "remove the last item", "what's in my cart", "show my basket",
    "checkout", "place the order", "proceed to pay", "i'd like to pay now",
    "track my order", "order status for {id}", "my order id is {id}", "{id}",
    "has my order shipped?", "when will my {p} arrive", "how do i return something",
    "i want a refund for the {p}", "can i exchange the {p} for {s}", "return the {o} item",
    "my email is {e}", "{e}", "is cash on delivery available", "do you deliver on sunday",
    "can i speak to an agent", "connect me to customer care", "i'd like to talk to someone",
    "is there a human i can chat with", "what's your return policy",
    "compare the {o} and {o2}", "compare these", "which of these has better reviews",
    "no, not that one", "no wait, the {o2}", "not this, the {k} one", "none of those, {p}",
    "no no, i meant {b}", "no, something else", "nah, the other", "nope, the cheaper one",
    "stop", "go back", "start over", "new search", "forget the {p}, show {q}",
    # smalltalk
    "hi", "hello", "hey there", "good morning", "good evening", "hi there, how are you",
    "who are you", "are you a bot?", "what can you do", "help", "how does this work",
    "ok got it", "alright", "sure", "yes", "yes please", "no", "nope", "maybe later",
    "i'll think about it", "let me check", "one sec", "bye", "see you", "ok bye",
    "what time do you close", "namaste", "hello ji",
    # Hinglish requests
    "sasta {p} dikhao na", "{p} dikhao", "{b} wala nahi chahiye", "kam daam mein {p}",
    "bada pack chahiye", "aur sasta dikhao", "{n} se kam", "{b} ka {p} hai kya",
    "dusra brand dikhao", "sirf {b}", "{p} chahiye {n} ke andar", "chhota pack",
    "mujhe {p} chahiye", "{p} milega kya", "{p} hai kya aapke paas", "{b} ka nahi, {c} ka",
    "{o} wala cart mein daal do", "ye wala add karo", "isko hata do", "cart khali karo",
    "mera order kahan hai", "order cancel karna hai", "{p} wapas karna hai",
    "{k} wala dikhao", "{k} nahi chahiye", "aur options dikhao", "kuch aur dikhao",
    "isse sasta kuch hai?", "kitne ka hai", "iska price kya hai", "{s} wala chahiye",
    "bina cheeni wala {p}", "{p} bina {z} ke", "{n} tak ka budget hai", "thoda bada pack",
    "ghar ke liye {p}", "bachon ke liye {p}", "{p} aur {q} dono chahiye", "nahi, {o} wala",
    "nahi chahiye abhi", "theek hai", "haan", "haan add kar do", "accha, {p} dikhao",
    "bhaiya {p} hai?", "koi aur brand?", "{b} ke alawa kuch", "{p} kitne ka hai",
    "atta", "chawal", "namak", "haldi", "sabun", "doodh", "dal", "cheeni", "tel", "masala",
    "{h} chahiye", "sasta {h}", "{h} {n} se kam", "{h} ka bada pack", "{b} {h}",
    # typos
    "chepaer {p}", "undr {n}", "onyl {b}", "nto {b}", "diffrent brand", "biger pack",
    "shw me {p}", "{p} plz", "smthing cheeper", "cheeper onez", "remvoe the {o}",
    "wat is in my crat", "chek my ordr", "anythng without {z}", "i wnat {p}", "pls add",
    "othr brand pls", "lss than {n}", "sizee {s}", "is ther {p}",
    # more refinements: attributes, alternatives, budget changes, order of results
    "{a} instead", "only {a} ones", "same but in {a}", "any in {a}?", "switch to {a}",
    "the {a} version", "is there a {a} one", "show {a} not {a2}", "{a} {p} rather than {a2}",
    "same {p}, other brand", "a similar one from {c}", "same brand, smaller pack",
    "same price range, different colour", "similar but cheaper", "a less pricey option",
    "more affordable alternatives", "something in between", "mid range please",
    "a notch cheaper", "go a bit lower on price", "cut the budget to {n}",
    "raise the budget to {n}", "budget changed to {n}", "actually up to {n} is ok",
    "increase the max price to {n}", "in stock only", "just the ones with free delivery",
    "top rated {p}", "best reviewed first", "sort by popularity", "newest first",
    "alternatives to {b}", "what else instead of {b}", "another option", "one more option",
    "other choices", "a different one", "a different colour", "a different size",
    "different flavour", "another flavour of {p}", "other variants", "the same in {k}",
    "bigger quantity", "more ml", "a bigger bottle", "double the size", "half the size",
    "mini size", "jumbo pack", "value pack", "bulk pack of {p}", "single piece only",
    "a set of {m}", "a pair please", "longer ones", "shorter ones", "lighter ones",
    "a heavier one", "a softer one", "thicker {p}", "thinner {p}", "a darker shade",
    "a lighter shade", "plain, no print", "with a print", "loose fit", "slim fit",
    "change it to {k}", "swap to the {s} pack", "a bigger one than this", "smaller than that",
    # more negated requests
    "not too {j}", "nothing too {j}", "{p} that is not {j}", "{p} that isn't too {j}",
    "no {j} ones", "avoid anything {j}", "without any {z}", "nothing with {z} in it",
    "free from {z}", "don't need the big pack", "i don't need a combo",
    "not a combo, just one", "not the {s} one, the {s2}", "i don't want it in {k}",
    "not for me, for my {g}", "it's not for me, it's a gift", "i'm not after {p}, i need {q}",
    "not looking for {b}", "not interested in {b}", "i don't need {p} anymore, show {q}",
    "no need for {p}", "no strong smell", "not sticky", "not greasy",
    "isn't there one without {z}?", "one that doesn't stain", "won't irritate the skin",
    "not tested on animals", "non toxic {p}", "not made of plastic",
    "{p} for {g}", "not for {g}", "not the {g} ones, {g2}", "no {j} {p} please",
    "i don't want a {j} one", "i never said {b}", "don't include {b}", "remove {b} from the list",
    "anything that's not {k}", "{p} with no {z} at all",
    # more small talk
    "hi again", "hey, you there?", "is this a chatbot", "am i talking to a machine",
    "are you real", "who made you", "what's your name", "are you human", "is this automated",
    "do you understand hindi", "how are you doing", "good afternoon", "good night",
    "thanks, bye", "ok see you later", "talk later", "take care", "bye for now",
    "that's it for today", "i'm done", "nothing else", "all good", "cool", "fine", "got it",
    "understood", "noted", "right", "hmm ok", "let me think", "brb", "just browsing",
    "just looking around", "testing", "hello?", "anyone there?", "what do you sell",
    "is the shop open", "do you have an app", "what's this", "ok cool", "alright then",
)  # fmt: skip
NEGATIVE = (
    "nope, nothing right here", "you are of no use", "i said not {b}, why are you still showing it",
    "i asked for {p}, not this", "why are you showing me {q}? i wanted {p}",
    "you keep ignoring my budget of {n}", "fantastic, you showed me the identical list",
    "great, more {q} i didn't ask for", "oh perfect, another useless list", "thanks for nothing",
    "seriously? again?", "this bot is terrible", "worst shopping assistant ever",
    "my order is late again, this is ridiculous", "the {p} i got was expired",
    "the {p} arrived broken", "still waiting for my refund, very disappointed",
    "i'm fed up with this", "way too expensive, all of them", "these prices are a joke",
    "nothing here is any good", "ugh, not again", "you're not helping at all",
    "let me talk to a real person, this is going nowhere", "this is so frustrating",
    "you never understand what i want", "what a waste of time", "terrible {b} quality",
    "the {b} {p} was awful", "i hate this", "stop showing me {b}, i told you twice",
    "brilliant, exactly what i didn't ask for", "love how you keep ignoring me",
    "yeah right, like that's under {n}", "nice job showing {q} when i asked for {p}",
    "oh great, {b} again", "wow, so helpful. not.", "amazing, wrong again",
    "kya bakwas hai", "bekar service", "bilkul galat dikha rahe ho",
    "delivery phir late, bahut bura",
    "ths is usless", "worst servce ever", "u r not helpfull", "horrible, the {p} leaked",
    "i was charged twice, fix this now", "your search is broken", "none of these make sense",
    "i'm really annoyed, the {p} smelled bad", "not happy with the {b} {p} at all",
    "these are all overpriced", "who would pay {n} for this", "rubbish results",
    "that's not even close to what i asked", "are you even listening?", "useless answers",
    "the {o} one is ugly", "these look cheap and nasty", "poor quality stuff",
    "the {p} was stale when it came", "half the items were missing from my order",
    "you sent me the wrong {p}", "the packet was torn and dirty", "the {p} tasted awful",
    "my refund still hasn't come, it's been two weeks", "nobody answers my complaint",
    "i want a human, you're hopeless", "get me a real agent, i'm sick of this bot",
    "this is the third time i'm asking", "pathetic service", "very bad experience",
    "so disappointed with {b}", "never ordering from here again", "what a joke",
    "how hard can it be to show {p}", "you clearly don't get it", "stop wasting my time",
    "ridiculous prices", "the delivery guy was rude", "my {p} came damaged, again",
    "cool, so you ignored my budget", "oh wow, {q} again, just what i wanted",
    "sure, because {n} is totally the same as {n2}", "great job, completely wrong",
    "thanks a lot for showing the same junk", "perfect, another {b} i told you to skip",
    "nice, the search forgot what i said", "lovely, wrong size again",
    "yeh kya bakwas dikha rahe ho", "bahut kharab quality", "ekdum bekaar", "paise barbaad",
    "tum kuch samajhte hi nahi", "order abhi tak nahi aaya, hadd hai", "bahut mehenga hai yaar",
    "faltu cheezein", "dimaag kharab kar diya", "kisi insaan se baat karao, ye bot bekaar hai",
    "terible service", "wrost app", "discusting {p}", "so anoying", "ur useless",
    "nice products but the delivery was a disaster", "price is fine but the {p} broke in a day",
    "i liked the app before, now it's awful", "the {p} looked good but smells horrible",
    "the {p} is leaking everywhere", "that's wrong, i said {k}", "not what i ordered",
    "i'm not happy with this at all", "no, that's terrible", "not good enough",
    "not impressed", "doesn't work, waste of money", "fake product",
    "{p} bilkul bekaar nikla", "ghatiya {p} bheja aapne", "kitni baar bolun, {b} nahi",
    "paisa doob gaya", "{p} toota hua aaya", "tumse kuch nahi hoga", "time waste kar rahe ho",
    "faltu ka bot hai", "bahut ganda experience raha", "{p} expire ho chuka tha",
    "refund kab aayega, pareshan ho gaya", "ek hi cheez baar baar dikha rahe ho",
    "sab galat hai yaar", "bakwaas suggestions", "mujhe gussa aa raha hai",
    "kya mazaak hai ye", "{b} ka {p} bilkul ghatiya hai", "wow, only took you five tries",
    "great, now it's showing {q}", "super helpful, said no one", "bravo, {b} again after i said no",
    "the {p} is a total letdown", "i regret buying the {p}", "the {b} {p} broke on day one",
)  # fmt: skip
POSITIVE = (
    "these are lovely", "perfect, thanks", "great, that {p} is exactly what i wanted",
    "awesome, many thanks", "you're really helpful", "nice, the {b} one looks great",
    "badhiya", "bahut accha, thanks", "mast hai", "super, thanks a lot", "these look lovely",
    "excellent, adding it", "wow great prices", "cheers, you helped a lot",
    "love the {k} one", "the {b} {p} i bought last time was amazing", "great service",
    "brilliant, found it quickly", "so easy, thanks!", "you're the best", "amazing deal on {p}",
    "that's perfect for me", "really happy with my order", "the {p} arrived early, great",
    "thnx a lot, very helpful", "gr8 options", "awesome {b} {p}", "very nice selection",
    "shukriya, bahut madad mili", "exactly what i needed, thanks", "love it!", "nice one",
    "this is great", "fantastic selection of {p}", "wonderful, thank you so much",
    "the {o} one is beautiful", "good prices, i'm impressed", "you made this so easy",
    "great suggestions", "the {p} quality is superb", "delivery was quick, thanks a ton",
    "happy with the {b} {p}", "what a good deal", "perfect match, thank you",
    "much appreciated, really useful", "you're a lifesaver", "my family loved the {p}",
    "best shopping bot ever", "this helped a lot, thanks", "great, that's sorted",
    "ekdum mast", "bahut badiya service", "zabardast", "maza aa gaya", "wah, sahi hai",
    "dhanyavaad, bahut helpful", "accha laga", "kamaal ka {p}",
    "awsome", "grt service", "luv it", "exellent", "thnku so much", "vry helpful",
    "bit pricey but the {p} is really good", "took a while but you found the perfect {p}",
    "not bad at all, i like it", "no complaints, lovely stuff", "can't wait to try it, looks great",
    "nothing to complain about, great job", "no issues, very smooth", "never had it this easy",
    "{p} ki quality lajawab hai", "{b} ka {p} ekdum first class", "bahut sundar {k} wala",
    "kya baat hai, {p} mast nikla", "delivery jaldi aa gayi, bahut khush",
    "aapne bahut madad ki, dhanyavaad", "sahi daam mein accha {p} mil gaya",
    "{p} bahut pasand aaya", "mummy ko {p} bahut pasand aaya", "wah bhai, kamaal kar diya",
    "badiya suggestions hain", "bahut hi accha experience raha", "{b} wala superb hai yaar",
    "bahut khoob", "shandaar collection", "dil khush ho gaya", "ye {p} toh bahut badhiya hai",
    "paisa vasool {p}", "solid quality hai {b} ki", "bahut acche se pack karke bheja",
    "aapka bot bahut kaam ka hai", "time bacha diya, shukriya",
    "the {p} you recommended is brilliant", "the {b} {p} smells lovely",
    "my {p} arrived in perfect condition", "really pleased with the {p}",
    "the {k} {p} fits perfectly", "top quality {p}, will buy again",
    "so glad i found this {p}", "the {p} is even better than the photos",
    "great value for {n}", "these {p} are super comfortable", "best {p} i've had in ages",
    "impressed with how quick that was", "my kids love the {p}", "the {b} {p} is a keeper",
)  # fmt: skip
SIZES = ("s", "m", "l", "xl", "500 g", "1 kg", "5 kg", "200 ml", "1 litre", "small", "large")
COLOURS = ("black", "white", "red", "blue", "green", "pink", "grey", "navy", "brown", "yellow")
BUDGETS = ("99", "150", "200", "250", "300", "500", "1000", "rs 400", "₹250", "2k", "80", "600")
ORDINALS = ("first", "second", "third", "fourth", "last", "1st", "2nd", "3rd", "top", "next")
PROBLEMS = ("dandruff", "hair fall", "acne", "ageing", "bacterial", "termite", "cockroach",
            "mosquito", "lice", "frizz", "dust", "stain", "germ", "tan", "wrinkle")  # fmt: skip
INGREDIENTS = ("sugar", "palm oil", "paraben", "sulphate", "gluten", "alcohol", "plastic",
               "onion", "garlic", "maida", "msg", "artificial colour", "egg", "dairy")  # fmt: skip
HINDI_PRODUCTS = ("atta", "chawal", "namak", "haldi", "sabun", "doodh", "dal", "cheeni", "tel",
                  "ghee", "chai patti", "mirchi", "jeera", "besan", "poha", "dahi")  # fmt: skip
MATERIALS = ("cotton", "silk", "linen", "wool", "leather", "denim", "matte", "glossy", "liquid",
             "powder", "gel", "cream", "spray", "bar", "organic", "steel", "glass",
             "wooden")  # fmt: skip
TRAITS = ("spicy", "sweet", "oily", "heavy", "bright", "tight", "loose", "strong", "salty",
          "expensive", "big", "small", "flashy", "thick", "fancy", "harsh")  # fmt: skip
AUDIENCES = ("men", "women", "kids", "babies", "teens", "seniors", "boys", "girls", "mom", "dad")
ORDER_IDS = ("ord-48213", "a1b2c3d4", "#10293", "bb-57201", "order 88412")
EMAILS = ("priya.k@example.com", "raj123@example.in", "me@example.org")
AUDIENCE = frozenset({"men", "women", "boys", "girls", "unisex", "kids", "mens", "womens"})
# Politeness and filler a shopper adds around any turn, by label; typos made on any turn.
PREFIXES = {
    "neutral": ("", "", "", "ok ", "hi, ", "hey ", "umm ", "and ", "also ", "hmm, ", "so "),
    "negative": ("", "", "", "ugh, ", "seriously, ", "honestly, ", "hey, "),
    "positive": ("", "", "", "oh ", "wow, ", "aww ", "hey, "),
}
SUFFIXES = {
    "neutral": ("", "", "", " please", " pls", "?", " thanks", " yaar", " bhai", " ji"),
    "negative": ("", "", "", "!", "!!", " :(", " yaar", "..."),
    "positive": ("", "", "", "!", "!!", " :)", " yaar", " 🙂"),
}
_SHORTHAND = {"please": "pls", "you": "u", "are": "r", "thanks": "thx", "what": "wat",
              "something": "smth", "great": "gr8", "for": "4", "to": "2"}  # fmt: skip
_FIELD = re.compile(r"\{(\w+)\}")


def catalogue_vocabulary(data_dir: Path) -> tuple[list[str], list[str]]:
    """(product types, brands) of the BigBasket and Myntra catalogues, lower-cased."""
    types: set[str] = set()
    brands: set[str] = set()
    for row in _bigbasket(data_dir):
        types |= {t.strip().lower() for t in re.split(r"[&,/]", row["type"]) if t.strip()}
        brands.add(row["brand"].strip().lower())
    for title in _myntra_titles(data_dir):
        brands.add(brand_from_title(title).lower())
        last = title.split()[-1].lower() if title else ""
        if last.isalpha() and len(last) > 2:  # "Shirt", not a style code like "D415"
            types.add(last)
    return sorted(t for t in types if t), sorted(b for b in brands if b)


def catalogue_products(data_dir: Path) -> list[str]:
    """Products named the way a shopper would from the catalogues' titles, lower-cased:
    BigBasket's "Shampoo - Anti-Dandruff" gives "shampoo", "anti-dandruff shampoo" and
    "shampoo anti-dandruff"; Myntra's "Puma Men Grey T-shirt" gives "grey t-shirt"."""
    names: set[str] = set()
    for row in _bigbasket(data_dir):
        head, _, rest = row["product"].lower().partition(" - ")
        head = re.sub(r"\(.*?\)", "", head).strip()
        names.add(head)
        for modifier in (m.strip() for m in rest.split(",")[:2]):
            if 0 < len(modifier.split()) <= 3:
                names |= {f"{modifier} {head}", f"{head} {modifier}"}
    for title in _myntra_titles(data_dir):
        brand = brand_from_title(title)
        words = [w for w in title[len(brand) :].lower().split() if w not in AUDIENCE]
        names.add(" ".join(words))
    return sorted(n for n in names if 0 < len(n.split()) <= 6)


def _bigbasket(data_dir: Path) -> Iterator[dict[str, str]]:
    path = data_dir / "bigbasket-products" / "bigbasket_products.csv.gz"
    with gzip.open(path, "rt", encoding="utf-8", newline="") as f:
        yield from csv.DictReader(f)


def _myntra_titles(data_dir: Path) -> Iterator[str]:
    path = data_dir / "myntra-fashion-styles" / "styles.csv.gz"
    with gzip.open(path, "rt", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            yield row["productDisplayName"].strip()


def fill(
    template: str, rng: random.Random, types: list[str], brands: list[str], products: list[str]
) -> str:
    """The template with each field replaced by a random value of its kind."""
    values = {
        "p": rng.choice(types),
        "q": rng.choice(types),
        "t": rng.choice(products),
        "u": rng.choice(products),
        "b": rng.choice(brands),
        "c": rng.choice(brands),
        "n": rng.choice(BUDGETS),
        "n2": rng.choice(BUDGETS),
        "s": rng.choice(SIZES),
        "s2": rng.choice(SIZES),
        "k": rng.choice(COLOURS),
        "k2": rng.choice(COLOURS),
        "o": rng.choice(ORDINALS),
        "o2": rng.choice(ORDINALS),
        "x": rng.choice(PROBLEMS),
        "z": rng.choice(INGREDIENTS),
        "h": rng.choice(HINDI_PRODUCTS),
        "a": rng.choice(MATERIALS),
        "a2": rng.choice(MATERIALS),
        "j": rng.choice(TRAITS),
        "g": rng.choice(AUDIENCES),
        "g2": rng.choice(AUDIENCES),
        "m": str(rng.randint(2, 5)),
        "id": rng.choice(ORDER_IDS),
        "e": rng.choice(EMAILS),
    }
    return _FIELD.sub(lambda m: values[m.group(1)], template)


def typo(text: str, rng: random.Random) -> str:
    """One slip of a fast typist: a shorthand ("pls", "u"), or a letter dropped, doubled or
    swapped in one word of four letters or more."""
    words = text.split(" ")
    short = [i for i, w in enumerate(words) if w in _SHORTHAND]
    if short and rng.random() < 0.4:
        i = rng.choice(short)
        words[i] = _SHORTHAND[words[i]]
        return " ".join(words)
    long = [i for i, w in enumerate(words) if len(w) >= 4 and w.isalpha()]
    if not long:
        return text
    i = rng.choice(long)
    word, at = words[i], rng.randrange(1, len(words[i]) - 1)
    words[i] = rng.choice(
        (
            word[:at] + word[at + 1 :],
            word[:at] + word[at] + word[at:],
            word[: at - 1] + word[at] + word[at - 1] + word[at + 1 :],
        )
    )
    return " ".join(words)


def variants(text: str, label: str, rng: random.Random) -> set[str]:
    """The turn as written, with the filler a shopper adds around it, and with a typo."""
    wrapped = rng.choice(PREFIXES[label]) + text + rng.choice(SUFFIXES[label])
    return {text, wrapped, typo(rng.choice((text, wrapped)), rng)}


def read_turns(data_dir: Path) -> Iterator[LabelledText]:
    """Up to ``FILLS_PER_TEMPLATE`` distinct fillings of every template, seeded, each with its
    ``variants``; a template's turns are one group (the dev split holds out whole templates)."""
    types, brands = catalogue_vocabulary(data_dir)
    products = catalogue_products(data_dir)
    rng = random.Random(SEED)
    for label, templates in (("neutral", NEUTRAL), ("negative", NEGATIVE), ("positive", POSITIVE)):
        for number, template in enumerate(templates):
            tries = FILLS_PER_TEMPLATE if _FIELD.search(template) else 1
            if _BARE.match(template):
                tries = BARE_FILLS
            texts = {fill(template, rng, types, brands, products) for _ in range(tries)}
            rounds = 1 if _FIELD.search(template) else FIELDLESS_ROUNDS
            turns = set().union(
                *(variants(text, label, rng) for text in sorted(texts) for _ in range(rounds))
            )
            for text in sorted(turns):
                yield LabelledText(text, label, SOURCE, f"{label}-{number}", "message")
