namespace Engine.Data;

/// <summary>CRC-32 as gzip computes it (ISO 3309, reflected polynomial 0xEDB88320), table-driven.</summary>
internal static class Crc32
{
    /// <summary>The register before any byte.</summary>
    public const uint Initial = 0xFFFFFFFF;

    private static readonly uint[] Table = Enumerable.Range(0, 256).Select(n =>
    {
        uint c = (uint)n;
        for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
        return c;
    }).ToArray();

    /// <summary>The register after <paramref name="bytes"/>.</summary>
    /// <param name="crc">The register so far.</param>
    /// <param name="bytes">The next bytes.</param>
    public static uint Update(uint crc, ReadOnlySpan<byte> bytes)
    {
        foreach (byte b in bytes) crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return crc;
    }

    /// <summary>The checksum of the bytes seen.</summary>
    /// <param name="crc">The register.</param>
    public static uint Final(uint crc) => crc ^ 0xFFFFFFFF;
}
