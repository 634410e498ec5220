import type { RideStarted, TlcTrip } from '@ride/shared';

/** A TLC trip as the ride-started event an app would have sent at pickup. */
export function tripToRide(trip: TlcTrip): RideStarted {
  return {
    ride_id: trip.rideId,
    pickup_datetime: trip.pickupMs,
    PULocationID: trip.puLocationId,
    DOLocationID: trip.doLocationId,
    trip_distance: trip.tripDistance,
    vendor_id: trip.vendorId,
    passenger_count: trip.passengerCount,
  };
}
