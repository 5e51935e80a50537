import { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { DEFAULT_LOCATION, locationKey, parseLocation, type GeoLocation } from '../../planning/geolocation';
import { AliasRecords } from './alias-records';

/** A Region's load balancer and the health check its records carry. */
export interface RoutedRegion {
  /** The load balancer's DNS name. */
  readonly dnsName: string;
  /** The load balancer's hosted zone. */
  readonly hostedZoneId: string;
  /** The Route 53 health check the Region's records carry (its switch check). */
  readonly healthCheckId: string;
}

/** Properties of `GeolocationRecords`. */
export interface GeolocationRecordsProps {
  /** The hosted zone that gets the records. */
  readonly hostedZoneId: string;
  /** The record name, e.g. `shop.example.com`. */
  readonly recordName: string;
  /** Every Region by code. */
  readonly regions: Readonly<Record<string, RoutedRegion>>;
  /** The locations each Region answers: continent codes, country codes, or `country:XX`. */
  readonly locations: Readonly<Record<string, readonly string[]>>;
  /** The Region of the default record, which answers every other location. */
  readonly defaultRegion: string;
  /**
   * The provider (Route 53 is global; any Region's works).
   * @default - the stack's default AWS provider
   */
  readonly provider?: TerraformProvider;
}

/**
 * Geolocation records for one name: one per configured location, to the load balancer of the Region
 * that answers it, and the default record (country "*") to the default Region, always: without it,
 * Route 53 answers NODATA to a query from a location without a record, and to queries from addresses
 * it cannot place. https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/routing-policy-geo.html
 *
 * Each record carries its Region's health check and evaluates the load balancer's health; when both
 * are unhealthy, Route 53 answers with the record of the next larger location (a country's continent,
 * then the default record).
 * https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/health-checks-how-route-53-chooses-records.html
 *
 * Day 2: a record's construct ID and set identifier come from its location only (`geo-DE`,
 * `geo-default`), so a location moving to another Region updates its alias target in place.
 */
export class GeolocationRecords extends Construct {
  /** The records by location key (`EU`, `DE`, `*`). */
  readonly records: ReadonlyMap<string, AliasRecords>;

  constructor(scope: Construct, id: string, props: GeolocationRecordsProps) {
    super(scope, id);
    const target = (region: string): RoutedRegion => {
      const routed = props.regions[region];
      if (!routed) throw new Error(`GeolocationRecords ${id}: Region ${region} has no load balancer`);
      return routed;
    };
    const records = new Map<string, AliasRecords>();
    const add = (key: string, region: string, geolocation: GeoLocation) => {
      if (records.has(key)) throw new Error(`GeolocationRecords ${id}: location ${key} is answered twice`);
      const routed = target(region);
      records.set(
        key,
        new AliasRecords(this, `geo-${key === DEFAULT_LOCATION ? 'default' : key}`, {
          provider: props.provider,
          hostedZoneId: props.hostedZoneId,
          recordName: props.recordName,
          target: { dnsName: routed.dnsName, hostedZoneId: routed.hostedZoneId },
          evaluateTargetHealth: true,
          geolocation,
          setIdentifier: `geo-${key === DEFAULT_LOCATION ? 'default' : key}`,
          healthCheckId: routed.healthCheckId,
        }),
      );
    };
    for (const [region, codes] of Object.entries(props.locations)) {
      for (const code of codes) {
        const location = parseLocation(code);
        if (!location) throw new Error(`GeolocationRecords ${id}: ${code} is not a location Route 53 accepts`);
        add(locationKey(location), region, location);
      }
    }
    add(DEFAULT_LOCATION, props.defaultRegion, { country: DEFAULT_LOCATION });
    this.records = records;
  }
}
