// The words R14 (professional tone) looks for, kept in one file so that the organisation can
// change them without touching the rule. Every entry is matched as a whole word, ignoring case.
// The seed policy: messages keep the organisation's tone, professional, "avoiding kisses (X's)
// or using slang or inappropriate language".

/** Text-speak: what a friend writes in a text, not what the organisation writes to a carer. */
export const textSpeak = [
  "u",
  "ur",
  "gr8",
  "l8r",
  "l8",
  "m8",
  "2moro",
  "2day",
  "2nite",
  "b4",
  "cu",
  "cya",
  "lol",
  "lmao",
  "lmfao",
  "rofl",
  "omg",
  "omfg",
  "brb",
  "ttyl",
  "ttfn",
  "tbh",
  "imo",
  "idk",
  "btw",
  "thx",
  "thnx",
  "ty",
  "pls",
  "plz",
  "msg",
  "txt",
  "soz",
  "ily",
  "luv",
  "xoxo",
];

/**
 * Slang and pet names: too familiar for staff writing to a member or a carer. Not "love", "pet" or
 * "mate": "we would love to see you", "a photo of your pet" and "team mate" are fine.
 */
export const slang = [
  "hun",
  "hon",
  "babe",
  "bae",
  "sweetie",
  "sweetheart",
  "darling",
  "darlin",
  "lovey",
  "chick",
  "innit",
  "gonna",
  "wanna",
  "gotta",
  "ya",
  "yeah",
  "yep",
  "nope",
  "cuz",
  "coz",
  "dude",
  "bruv",
];

/** Words no message from the organisation contains. */
export const inappropriate = [
  "damn",
  "hell",
  "crap",
  "shit",
  "shite",
  "piss",
  "bloody",
  "bugger",
  "arse",
  "ass",
  "fuck",
  "fucking",
  "bollocks",
  "sod",
  "wtf",
  "ffs",
  "stfu",
  "retard",
  "retarded",
  "idiot",
  "stupid",
  "moron",
  "spastic",
];

/** Hearts and kisses as pictures: emoji and the typed heart. */
export const heartsAndKisses = ["❤", "♥", "💕", "💖", "💗", "💓", "💞", "💘", "💝", "💋", "😘", "😍", "🥰", "😗", "😙", "😚", "<3"];
