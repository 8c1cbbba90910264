/** Look-up values for synthetic Australian person records, in the spirit of Febrl's frequency tables. */

export const GIVEN_NAMES = `james john robert michael william david richard joseph thomas charles christopher daniel matthew anthony mark
donald steven paul andrew joshua kenneth kevin brian george timothy ronald jason edward jeffrey ryan jacob gary nicholas eric jonathan
stephen larry justin scott brandon benjamin samuel gregory alexander patrick frank raymond jack dennis jerry tyler aaron jose adam nathan
henry zachary douglas peter kyle noah ethan jeremy christian walter keith austin roger terry sean gerald carl dylan harold jordan jesse
bryce lachlan liam oliver mitchell hamish angus callum declan riley mary patricia jennifer linda elizabeth barbara susan jessica sarah
karen lisa nancy betty sandra margaret ashley kimberly emily donna michelle carol amanda melissa deborah stephanie dorothy rebecca sharon
laura cynthia amy kathleen angela shirley brenda emma anna pamela nicole samantha katherine christine helen debra rachel carolyn janet
maria catherine heather diane olivia julie joyce victoria ruth virginia lauren kelly christina joan evelyn judith andrea hannah megan
cheryl jacqueline martha madison teresa gloria sara janice ann kathryn abigail sophia frances jean alice judy isabella julia grace amber
denise danielle marilyn beverly charlotte natalie theresa diana brittany doris kayla alexis lori marie chloe mia zoe ruby matilda isla
ava amelia harper evie sienna willow ella jade tahlia`
  .split(/\s+/)
  .filter(Boolean);

export const SURNAMES = `smith jones williams brown wilson taylor johnson white martin anderson thompson nguyen thomas walker harris lee
ryan robinson kelly king davis wright evans roberts green hall wood jackson clarke patel khan lewis james phillips mitchell campbell
young allen scott morris cook baker murphy turner edwards hill ward stewart morgan moore cooper watson carter bell parker collins
bailey miller richardson cox hughes shaw tran chen wang zhang li liu singh kaur murray graham hunt hamilton ross jenkins russell
fraser grant gibson kennedy marshall mcdonald obrien oconnor sullivan kelly byrne walsh mccarthy doyle fitzgerald quinn brennan
dawson burke cameron duncan ferguson henderson mackenzie macdonald reid robertson stevenson sutherland wallace black gray knight
harrison holmes hudson hunter johnston lawrence matthews palmer pearce price reynolds rogers saunders simpson spencer stone
wells webb west willis woods yates dixon ellis fisher foster gordon hart hayes lane mills newman owen payne perry porter powell
rose sharp shepherd sims steele stephens sutton tucker vaughan wade warren watts weaver wheeler whitehead wilkinson
wright young zimmerman vandenberg vanderbilt dsouza romano rossi russo ferrari esposito bianchi colombo ricci marino greco
bruno gallo conti deluca costa giordano mancini rizzo lombardi moretti papadopoulos georgiou nikolaidis kowalski nowak
wisniewski muller schmidt schneider fischer weber meyer wagner becker schulz hoffmann`
  .split(/\s+/)
  .filter(Boolean);

/** Syllables for rarer made-up surnames, so a large file does not repeat the common ones only. */
export const SURNAME_SYLLABLES = ['ab', 'ar', 'bel', 'ber', 'cal', 'dor', 'el', 'en', 'fal', 'gar', 'hal', 'is', 'kin', 'lan', 'mar', 'mor', 'nel', 'or', 'pen', 'quin', 'ros', 'sel', 'tor', 'ul', 'van', 'wel', 'yor', 'zan'];
export const SURNAME_ENDINGS = ['son', 'ton', 'ley', 'field', 'man', 'ford', 'wood', 'well', 'berg', 'stein', 'ini', 'ez', 'ova', 'ski', 'idis', 'sen'];

export const STREET_NAMES = `albert alexander alfred ann arthur bay beach bell boundary bridge bristol cambridge canning church clarence
cliff collins crown darling derby dover duke elizabeth esplanade fitzroy flinders forest francis george gilbert glebe grey
hampton harbour henry high hill hunter james john kent king lachlan lake lennox lincoln liverpool macquarie main marine
market mary melbourne mill miller mitchell morgan murray nelson new norfolk north oak ocean orange oxford palmer park pitt
pridham queen railway regent richmond river rose russell salisbury sandy school smith spring station stirling sturt sussex
swan sydney union victoria view waratah warrego waterloo wattle wellington west william wilson windsor york`
  .split(/\s+/)
  .filter(Boolean);

/** Street types: the full name (what an original record has) and the abbreviations noise uses. */
export const STREET_TYPES: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['street', ['st', 'st.', 'str']],
  ['road', ['rd', 'rd.']],
  ['avenue', ['ave', 'av']],
  ['place', ['pl']],
  ['crescent', ['cres', 'cr']],
  ['drive', ['dr', 'dve']],
  ['court', ['ct', 'crt']],
  ['circuit', ['cct']],
  ['close', ['cl']],
  ['parade', ['pde']],
  ['terrace', ['tce']],
  ['lane', ['ln']],
];

export const BUILDINGS = ['rosedale', 'kooringa', 'the palms', 'harbour view', 'wattle court', 'st james village', 'parkside', 'banksia lodge', 'bellevue', 'kirkwood'];

/** Suburb, postcode, state. */
export const LOCALITIES: ReadonlyArray<readonly [string, string, string]> = [
  ['sydney', '2000', 'nsw'], ['north sydney', '2060', 'nsw'], ['parramatta', '2150', 'nsw'], ['bondi', '2026', 'nsw'], ['manly', '2095', 'nsw'],
  ['newcastle', '2300', 'nsw'], ['wollongong', '2500', 'nsw'], ['dubbo', '2830', 'nsw'], ['wagga wagga', '2650', 'nsw'], ['orange', '2800', 'nsw'],
  ['penrith', '2750', 'nsw'], ['hornsby', '2077', 'nsw'], ['cronulla', '2230', 'nsw'], ['tamworth', '2340', 'nsw'], ['albury', '2640', 'nsw'],
  ['melbourne', '3000', 'vic'], ['st kilda', '3182', 'vic'], ['geelong', '3220', 'vic'], ['ballarat', '3350', 'vic'], ['bendigo', '3550', 'vic'],
  ['frankston', '3199', 'vic'], ['box hill', '3128', 'vic'], ['footscray', '3011', 'vic'], ['brunswick', '3056', 'vic'], ['mildura', '3500', 'vic'],
  ['brisbane', '4000', 'qld'], ['southport', '4215', 'qld'], ['toowoomba', '4350', 'qld'], ['cairns', '4870', 'qld'], ['townsville', '4810', 'qld'],
  ['ipswich', '4305', 'qld'], ['mackay', '4740', 'qld'], ['bundaberg', '4670', 'qld'], ['adelaide', '5000', 'sa'], ['glenelg', '5045', 'sa'],
  ['mount gambier', '5290', 'sa'], ['whyalla', '5600', 'sa'], ['perth', '6000', 'wa'], ['fremantle', '6160', 'wa'], ['bunbury', '6230', 'wa'],
  ['geraldton', '6530', 'wa'], ['kalgoorlie', '6430', 'wa'], ['hobart', '7000', 'tas'], ['launceston', '7250', 'tas'], ['devonport', '7310', 'tas'],
  ['canberra', '2600', 'act'], ['belconnen', '2617', 'act'], ['darwin', '0800', 'nt'], ['alice springs', '0870', 'nt'], ['palmerston', '0830', 'nt'],
];

export const EMAIL_DOMAINS = ['gmail.com', 'outlook.com', 'bigpond.com', 'yahoo.com.au', 'hotmail.com', 'icloud.com', 'optusnet.com.au', 'example.com.au'];

/** Australian landline area codes by state. */
export const AREA_CODES: Readonly<Record<string, string>> = { nsw: '2', act: '2', vic: '3', tas: '3', qld: '7', sa: '8', wa: '8', nt: '8' };
