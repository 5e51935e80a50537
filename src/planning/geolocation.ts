/**
 * The locations Route 53 geolocation records accept, and the order in which Route 53 picks among them.
 *
 * Source: the Route 53 API reference, GeoLocation data type
 * (https://docs.aws.amazon.com/Route53/latest/APIReference/API_GeoLocation.html), checked 2026-12-07:
 * the continent codes AF, AN, AS, EU, OC, NA and SA; country codes from ISO 3166-1 alpha-2, UA (Ukraine)
 * included; subdivisions only for the United States. ListGeoLocations
 * (https://docs.aws.amazon.com/Route53/latest/APIReference/API_ListGeoLocations.html) returns the same set.
 * US subdivisions are not offered here: a state-level split of one country between Regions is out of
 * scope, and its codes would be a second list to keep.
 *
 * A query is answered by the most specific record that matches: country before continent, and the
 * default record (country code "*") for every location without one; with no default, Route 53 answers
 * NODATA. https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/routing-policy-geo.html
 */

/** Route 53's continent codes. */
export const CONTINENT_CODES: Readonly<Record<string, string>> = Object.freeze({
  AF: 'Africa',
  AN: 'Antarctica',
  AS: 'Asia',
  EU: 'Europe',
  NA: 'North America',
  OC: 'Oceania',
  SA: 'South America',
});

/** ISO 3166-1 alpha-2 country codes, as Route 53 accepts them (UA included). */
export const COUNTRY_CODES: readonly string[] = Object.freeze(
  (
    'AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ ' +
    'CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR ' +
    'GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP ' +
    'KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT ' +
    'MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW ' +
    'SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG ' +
    'UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW'
  ).split(' '),
);

/** The country code of the default record, which answers every location without a record of its own. */
export const DEFAULT_LOCATION = '*';

/** A location as a geolocation record takes it. */
export type GeoLocation = { readonly continent: string } | { readonly country: string };

/**
 * A configured code as a record's location, or `undefined` for a code Route 53 does not accept. A few
 * two-letter strings are both a continent and a country (NA: North America and Namibia; SA: South
 * America and Saudi Arabia; AS: Asia and American Samoa): the continent wins, and `country:XX` names the country.
 */
export function parseLocation(code: string): GeoLocation | undefined {
  if (code.startsWith('country:')) {
    const country = code.slice('country:'.length);
    return COUNTRY_CODES.includes(country) ? { country } : undefined;
  }
  if (code in CONTINENT_CODES) return { continent: code };
  if (COUNTRY_CODES.includes(code)) return { country: code };
  return undefined;
}

/** A stable key of a location for set identifiers and construct IDs: `EU`, `DE`, `country-NA`. */
export function locationKey(location: GeoLocation): string {
  if ('continent' in location) return location.continent;
  return location.country in CONTINENT_CODES ? `country-${location.country}` : location.country;
}
