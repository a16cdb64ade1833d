/** XenbusState lives with the xenbus core (guest/kernel); the drivers use it from there. */
export * from '../guest/kernel/xenbusState';
