package org.multiplex.measure;

import java.net.InetSocketAddress;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.DelimiterBasedFrameDecoder;
import io.netty.util.ResourceLeakDetector;
import org.multiplex.kit.net.Server;
import org.multiplex.kit.net.ServerMain;
import org.multiplex.kit.zen.Zen;

/**
 * A Zen server on Netty, with one event-loop thread that accepts and serves every connection:
 * the descendant of asyncore and Twisted that Java servers run on today.
 *
 * <p>Lesson 4's pieces are all here under other names. The event loop is the
 * {@code DispatcherLoop}; a channel's pipeline of handlers is a dispatcher with its protocol;
 * {@link DelimiterBasedFrameDecoder} is asynchat's terminator; {@code write} queues and
 * {@code flush} sends, as {@code BufferedDispatcher}'s {@code queue} and {@code initiateSend}.
 */
public final class NettyZenServer implements Server {

    private static final ByteBuf REQUEST_END = Unpooled.unreleasableBuffer(
            Unpooled.wrappedBuffer(new byte[] {Zen.REQUEST_END}));

    private final InetSocketAddress address;
    private EventLoopGroup loop;
    private Channel listener;

    /**
     * Makes a server that will listen on an address.
     *
     * @param address where to listen; port 0 lets the system choose
     */
    public NettyZenServer(InetSocketAddress address) {
        this.address = address;
    }

    /** Runs the server: {@code --port} (default 1060, the book's) and {@code --host}. */
    public static void main(String[] args) {
        // Netty's leak detector, on by default, records a stack trace for one buffer in 128: a
        // debugging aid that benchmarks of Netty switch off, and so does the lab.
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        ServerMain.run("NettyZenServer", 1060, args, NettyZenServer::new);
    }

    @Override
    public synchronized InetSocketAddress start() {
        // One thread, on a selector, for the listener and every client.
        loop = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        // tag::bootstrap[]
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(loop)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 4096)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel client) {
                        client.pipeline().addLast(
                                new DelimiterBasedFrameDecoder(Zen.MAX_REQUEST_BYTES, false, REQUEST_END),
                                new ZenHandler());
                    }
                });
        // end::bootstrap[]
        listener = bootstrap.bind(address).syncUninterruptibly().channel();
        return (InetSocketAddress) listener.localAddress();
    }

    /** Answers each request the decoder cuts out; sends the answers of one read together. */
    // tag::handler[]
    private static final class ZenHandler extends SimpleChannelInboundHandler<ByteBuf> {

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf request) {
            byte[] bytes = ByteBufUtil.getBytes(request);
            ctx.write(Unpooled.wrappedBuffer(Zen.answer(bytes)));
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            // Backpressure: stop reading from a client that does not take its answers.
            ctx.channel().config().setAutoRead(ctx.channel().isWritable());
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close(); // a reset, or a request longer than the protocol allows
        }
    }
    // end::handler[]

    @Override
    public synchronized void close() {
        if (loop == null || loop.isShuttingDown()) {
            return;
        }
        if (listener != null) {
            listener.close().syncUninterruptibly();
        }
        loop.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }
}
