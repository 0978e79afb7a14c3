package dev.ioloop.slices;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The application the slice tests find: one controller that needs the loop. */
@SpringBootApplication
public class SliceApplication {
}
