using System.Net;
using System.Net.Sockets;

namespace FkHarness.Provisioning;

/// <summary>Ports on 127.0.0.1: a free one, or whether a given one is free.</summary>
internal static class LoopbackPort
{
    public static int FindFree()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
