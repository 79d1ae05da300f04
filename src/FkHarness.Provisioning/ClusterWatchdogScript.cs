namespace FkHarness.Provisioning;

/// <summary>
/// The shell that starts the server and outlives nothing: it polls the owning process and, once
/// that is gone (exit, Ctrl+C, SIGKILL), stops the server and deletes the cluster folder — unless
/// a <c>keep</c> file says the user asked for the server to stay (--keep). While the owner lives,
/// the folder is the owner's to delete: a server that died at start-up leaves its log to be read. Polling /proc rather
/// than <c>kill -0</c>, because the script may run as another user than its owner.
/// Once the owner has written <c>stopping</c> (it stops the server itself with pg_ctl, then deletes
/// the folder), the script waits, while that file is there, for the owner to go after the server:
/// an owner killed half-way through its own clean-up (a test host given little time to exit) still
/// leaves no folder behind. An owner whose pg_ctl failed removes the file, and the script carries on as before.
/// </summary>
internal static class ClusterWatchdogScript
{
    // $1 = cluster folder, $2 = owner pid, $3... = the postgres command line.
    public const string Text = """
        dir="$1"; owner="$2"; shift 2
        "$@" >>"$dir/server.log" 2>&1 &
        pg=$!
        while [ -d "/proc/$owner" ] && kill -0 "$pg" 2>/dev/null; do sleep 0.5; done
        if [ -f "$dir/keep" ] && kill -0 "$pg" 2>/dev/null; then exit 0; fi
        kill -INT "$pg" 2>/dev/null
        wait "$pg"
        while [ -f "$dir/stopping" ] && [ -d "/proc/$owner" ]; do sleep 0.1; done
        [ -d "/proc/$owner" ] || rm -rf "$dir"
        """;
}
