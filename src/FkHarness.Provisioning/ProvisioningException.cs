namespace FkHarness.Provisioning;

/// <summary>A database could not be provided; the message says what was tried and what to do.</summary>
public sealed class ProvisioningException : Exception
{
    public ProvisioningException(string message) : base(message) { }

    public ProvisioningException(string message, Exception inner) : base(message, inner) { }

    public ProvisioningException() { }
}
