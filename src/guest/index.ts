/** Guest kernel services. */
export * from './xenbus';
