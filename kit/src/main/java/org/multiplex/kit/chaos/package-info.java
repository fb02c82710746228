/**
 * Clients that treat a server the way real clients and real networks do, for tests and for
 * students aiming them at their own servers.
 *
 * <table>
 *   <caption>What each attack finds in a server</caption>
 *   <tr><th>client</th><th>what a wrong server does</th></tr>
 *   <tr><td>{@link org.multiplex.kit.chaos.Chaos#sendByteByByte}</td>
 *       <td>takes a read for a request and answers a fragment</td></tr>
 *   <tr><td>{@link org.multiplex.kit.chaos.Chaos#pipeline}</td>
 *       <td>answers only the first request of a read, or answers out of order</td></tr>
 *   <tr><td>{@link org.multiplex.kit.chaos.Chaos#fragmented}</td>
 *       <td>loses the start of a request cut across reads</td></tr>
 *   <tr><td>{@link org.multiplex.kit.chaos.Chaos#halfClose}</td>
 *       <td>closes before its last answers are sent, or never notices the end of the stream</td></tr>
 *   <tr><td>{@link org.multiplex.kit.chaos.Chaos#reset}</td>
 *       <td>dies, or stops serving the others, on "connection reset"</td></tr>
 *   <tr><td>{@link org.multiplex.kit.chaos.Chaos#oversized}</td>
 *       <td>buffers a request without limit</td></tr>
 *   <tr><td>{@link org.multiplex.kit.chaos.Chaos#nonText}</td>
 *       <td>decodes bytes as text and chokes on what is not</td></tr>
 *   <tr><td>{@link org.multiplex.kit.chaos.NeverReader}</td>
 *       <td>buffers answers without limit for a client that does not read</td></tr>
 *   <tr><td>{@link org.multiplex.kit.chaos.IdleCrowd}</td>
 *       <td>spends a thread, or runs out of something, on clients that do nothing</td></tr>
 *   <tr><td>{@link org.multiplex.kit.chaos.SlowClient}</td>
 *       <td>waits for one client while the others wait for it</td></tr>
 * </table>
 *
 * <p>Every client connects only to a loopback address and bounds every wait
 * ({@link org.multiplex.kit.chaos.Chaos#DEFAULT_TIMEOUT} unless given a time limit), so a broken
 * server makes a test fail, never hang.
 */
package org.multiplex.kit.chaos;
